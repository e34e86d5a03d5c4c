import { buildDeployment } from '../serverless-runtime';
import type { Builder } from './build-runner';

/**
 * The builder a sandbox uses unless given another: Twilio's build, done by sandbox/serverless-runtime
 * (the Runtime checked, the Dependencies installed alone, each Function required alone).
 */
export const defaultBuilder: Builder = (input) => buildDeployment(input);
