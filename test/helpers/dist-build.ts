/**
 * A Build made by hand from dist/, as `twilio-run deploy` would upload it: each file of dist/functions
 * and dist/assets at its path (the `.protected` / `.private` suffix giving its visibility, as
 * @twilio-labs/serverless-api reads it), package.json's `dependencies` as the Build's list and the
 * runtime of .twilioserverlessrc. For runtime tests that do not need the Serverless API.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { BuildInput, DeployedFile, Visibility } from '../../sandbox/serverless-runtime/types';
import { builtRoutes } from '../../testkit/built-routes';

const root = path.resolve(__dirname, '../..');

export const versionSid = () => `ZN${randomBytes(16).toString('hex')}`;
export const buildSid = () => `ZB${randomBytes(16).toString('hex')}`;

/** package.json's `dependencies` as a Build's `Dependencies` list. */
export function projectDependencies(): BuildInput['dependencies'] {
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
  };
  return Object.entries(pkg.dependencies).map(([name, version]) => ({ name, version }));
}

function files(dir: string, isFunction: boolean): DeployedFile[] {
  return builtRoutes(dir, isFunction ? 'functions' : 'assets').map((route) => ({
    sid: versionSid(),
    path: route.path,
    visibility: route.access,
    content: readFileSync(route.filePath),
  }));
}

export function distBuild(): BuildInput {
  const config = JSON.parse(readFileSync(path.join(root, '.twilioserverlessrc'), 'utf8')) as {
    runtime: string;
  };
  return {
    sid: buildSid(),
    dependencies: projectDependencies(),
    runtime: config.runtime,
    functions: files(path.join(root, 'dist/functions'), true),
    assets: files(path.join(root, 'dist/assets'), false),
  };
}

/** A Build of small Functions given as source, with the project's dependencies. */
export function sourceBuild(
  functions: Record<string, string>,
  visibility: Visibility = 'public',
): BuildInput {
  return {
    sid: buildSid(),
    dependencies: projectDependencies(),
    runtime: JSON.parse(readFileSync(path.join(root, '.twilioserverlessrc'), 'utf8')).runtime,
    functions: Object.entries(functions).map(([urlPath, source]) => ({
      sid: versionSid(),
      path: urlPath,
      visibility,
      content: Buffer.from(source),
    })),
    assets: [],
  };
}
