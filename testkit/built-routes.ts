/**
 * The files of a built folder (dist/functions, dist/assets) as Functions or Assets, at the path and
 * with the visibility twilio-run gives them: @twilio-labs/serverless-api's own rule (a `.protected` or
 * `.private` suffix before the extension is the visibility, not part of the path; a Function's path
 * drops `.js`), the one `twilio-run start` and `twilio-run deploy` apply.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { getPathAndAccessFromFileInfo } from '@twilio-labs/serverless-api/dist/utils/fs';
import type { Visibility } from '../sandbox/serverless-runtime/types';

export interface BuiltRoute {
  filePath: string;
  path: string;
  access: Visibility;
}

export function builtRoutes(dir: string, kind: 'functions' | 'assets'): BuiltRoute[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => {
      const filePath = path.join(entry.parentPath, entry.name);
      const name = path.relative(dir, filePath).split(path.sep).join('/');
      const route = getPathAndAccessFromFileInfo(
        { name, path: filePath },
        kind === 'functions' ? '.js' : undefined,
      );
      return { filePath, path: route.path, access: route.access };
    });
}
