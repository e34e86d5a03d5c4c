import { stopDeployedStart } from './helpers/deployed-start';

/** After every suite: the shared `npm start -- --deployed` (test/helpers/deployed-start.ts), if one ran. */
export default async function globalTeardown(): Promise<void> {
  await stopDeployedStart();
}
