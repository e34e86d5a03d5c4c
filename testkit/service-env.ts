import { randomBytes } from 'node:crypto';
import { SANDBOX_REQUEST_TIMEOUT_MS } from '../scripts/local/local-env';

/** A test's REST requests to the sandbox wait as long as `npm start`'s service does (local-env.ts). */
export { SANDBOX_REQUEST_TIMEOUT_MS };

/** A valid service configuration for tests, with fresh random secrets; override any variable. */
export function serviceEnv(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    ACCOUNT_SID: `AC${randomBytes(16).toString('hex')}`,
    AUTH_TOKEN: randomBytes(16).toString('hex'),
    PUBLIC_BASE_URL: 'https://voice.example.com',
    ADMIN_API_KEYS: `admin_${randomBytes(24).toString('hex')}`,
    TOKEN_TICKET_SECRET: randomBytes(32).toString('hex'),
    REGISTRY_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    SYNC_SERVICE_SID: 'default',
    ALLOWED_ORIGINS: 'https://app.example.com',
    // Applies only with TWILIO_API_BASE_URL (the sandbox).
    TWILIO_REQUEST_TIMEOUT_MS: String(SANDBOX_REQUEST_TIMEOUT_MS),
    ...overrides,
  };
}

export const adminKeyOf = (env: Record<string, string>): string =>
  (env.ADMIN_API_KEYS ?? '').split(',')[0] ?? '';
