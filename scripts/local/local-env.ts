/**
 * The local configuration `npm start` runs with: `.env`, written on first start with fresh random
 * credentials that only the sandbox knows, and reused after so the sandbox state stays valid.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'dotenv';

export interface LocalEnv {
  values: Record<string, string>;
  /** True when .env did not exist and was just written. */
  created: boolean;
}

export function readOrCreateLocalEnv(file: string, ports: { service: number; sandbox: number }): LocalEnv {
  if (existsSync(file)) return { values: parse(readFileSync(file)), created: false };
  const serviceUrl = `http://localhost:${ports.service}`;
  const values: Record<string, string> = {
    ACCOUNT_SID: `AC${randomBytes(16).toString('hex')}`,
    AUTH_TOKEN: randomBytes(16).toString('hex'),
    PUBLIC_BASE_URL: serviceUrl,
    ADMIN_API_KEYS: `admin_${randomBytes(24).toString('base64url')}`,
    TOKEN_TICKET_SECRET: randomBytes(32).toString('base64url'),
    REGISTRY_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    SYNC_SERVICE_SID: 'default',
    ALLOWED_ORIGINS: serviceUrl,
    TWILIO_API_BASE_URL: `http://127.0.0.1:${ports.sandbox}`,
  };
  const text = [
    '# Written by `npm start` for the local sandbox: random credentials that only the sandbox knows.',
    '# Delete this file (and .sandbox/) to start over; see .env.example to run against real Twilio.',
    ...Object.entries(values).map(([name, value]) => `${name}=${value}`),
    '',
  ].join('\n');
  writeFileSync(file, text, { mode: 0o600 });
  return { values, created: true };
}
