/**
 * Where the admin CLI sends its requests: SERVICE_URL and ADMIN_API_KEY from the environment, or else
 * the local .env that `npm start` writes (PUBLIC_BASE_URL and the first of ADMIN_API_KEYS).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { adminClient, type AdminCall } from '../../src/client/admin-client';

export interface ServiceTarget {
  url: string;
  adminKey: string;
}

/** The variables of the local .env that `npm start` writes, or none when there is no such file. */
export function localEnv(root = path.resolve(__dirname, '../..')): Record<string, string | undefined> {
  const envFile = path.join(root, '.env');
  return existsSync(envFile) ? parseEnv(readFileSync(envFile, 'utf8')) : {};
}

export function serviceTarget(
  env: NodeJS.ProcessEnv = process.env,
  root = path.resolve(__dirname, '../..'),
): ServiceTarget {
  const local = localEnv(root);
  const url = env.SERVICE_URL ?? local.PUBLIC_BASE_URL ?? 'http://localhost:3000';
  const adminKey = env.ADMIN_API_KEY ?? local.ADMIN_API_KEYS?.split(',')[0]?.trim();
  if (!adminKey)
    throw new Error('No admin key: set ADMIN_API_KEY (or run `npm start` once to write a local .env).');
  return { url: url.replace(/\/$/, ''), adminKey };
}

/** The typed admin client, calling the service at `target` with its admin key. */
export function adminCall(target: ServiceTarget): AdminCall {
  return adminClient({ baseUrl: target.url, adminKey: () => target.adminKey });
}
