import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CONFIG_VARIABLES, ConfigError, loadConfig } from '../../src/config/config';
import { REQUEST_TIMEOUT_MS } from '../../src/twilio/rest-settings';
import { serviceEnv } from '../../testkit/service-env';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems.map((p) => p.variable);
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('reads a complete environment and applies defaults', () => {
    const env = serviceEnv({ SYNC_SERVICE_SID: '', ALLOWED_ORIGINS: '' });
    const config = loadConfig(env);
    expect(config.accountSid).toBe(env.ACCOUNT_SID);
    expect(config.syncServiceSid).toBe('default');
    expect(config.allowedOrigins).toEqual(['https://voice.example.com']);
    expect(config.adminAllowedOrigins).toEqual([]);
    expect(config.registryEncryptionKey).toHaveLength(32);
    expect(config.twilioApiBaseUrl).toBeUndefined();
    expect(config.adminAllowedOrigins).toEqual([]);
    expect(config.eventsWebhookUrl).toBeUndefined();
    expect(config.eventsWebhookSecret).toBeUndefined();
  });

  it('hands back the same frozen object while the variables keep their values, and rereads a change', () => {
    const env = serviceEnv();
    const config = loadConfig(env);
    expect(loadConfig({ ...env })).toBe(config);
    expect(Object.isFrozen(config)).toBe(true);
    const changed = loadConfig({ ...env, ALLOWED_ORIGINS: 'https://other.example.com' });
    expect(changed).not.toBe(config);
    expect(changed.allowedOrigins).toEqual(['https://other.example.com']);
  });

  it('reads the admin origins and the events webhook', () => {
    const secret = 'w'.repeat(32);
    const config = loadConfig(
      serviceEnv({
        ADMIN_ALLOWED_ORIGINS: 'https://console.example.com, http://localhost:5173',
        EVENTS_WEBHOOK_URL: 'https://backend.example.com/twilio-events?source=voice',
        EVENTS_WEBHOOK_SECRET: ` ${secret} `,
      }),
    );
    expect(config.adminAllowedOrigins).toEqual(['https://console.example.com', 'http://localhost:5173']);
    expect(config.eventsWebhookUrl).toBe('https://backend.example.com/twilio-events?source=voice');
    expect(config.eventsWebhookSecret).toBe(secret);
    const local = loadConfig(
      serviceEnv({ EVENTS_WEBHOOK_URL: 'http://localhost:4000/events', EVENTS_WEBHOOK_SECRET: secret }),
    );
    expect(local.eventsWebhookUrl).toBe('http://localhost:4000/events');
  });

  it('defaults PUBLIC_BASE_URL to https:// + DOMAIN_NAME, as on Twilio', () => {
    const config = loadConfig({
      ...serviceEnv({ PUBLIC_BASE_URL: '' }),
      DOMAIN_NAME: 'voice-1234-dev.twil.io',
    });
    expect(config.publicBaseUrl).toBe('https://voice-1234-dev.twil.io');
  });

  it('reads ADMIN_ALLOWED_ORIGINS as a list of origins, like ALLOWED_ORIGINS', () => {
    const config = loadConfig(
      serviceEnv({ ADMIN_ALLOWED_ORIGINS: ' https://ops.example.com , http://localhost:8080/ ' }),
    );
    expect(config.adminAllowedOrigins).toEqual(['https://ops.example.com', 'http://localhost:8080']);
  });

  it('splits several admin keys so one can be rotated without downtime', () => {
    const keys = ['a'.repeat(32), 'b'.repeat(40)];
    expect(loadConfig(serviceEnv({ ADMIN_API_KEYS: ` ${keys[0]} , ${keys[1]} ` })).adminApiKeys).toEqual(
      keys,
    );
  });

  it.each([
    ['ACCOUNT_SID', { ACCOUNT_SID: 'AC123' }],
    ['ACCOUNT_SID', { ACCOUNT_SID: '' }],
    ['ACCOUNT_SID', { ACCOUNT_SID: `SK${'a'.repeat(32)}` }],
    ['AUTH_TOKEN', { AUTH_TOKEN: 'not-a-token' }],
    ['ADMIN_API_KEYS', { ADMIN_API_KEYS: 'short' }],
    ['ADMIN_API_KEYS', { ADMIN_API_KEYS: `${'k'.repeat(32)},short` }],
    ['ADMIN_API_KEYS', { ADMIN_API_KEYS: ' , ' }],
    ['TOKEN_TICKET_SECRET', { TOKEN_TICKET_SECRET: 'tiny' }],
    ['REGISTRY_ENCRYPTION_KEY', { REGISTRY_ENCRYPTION_KEY: 'abcd' }],
    ['REGISTRY_ENCRYPTION_KEY', { REGISTRY_ENCRYPTION_KEY: '' }],
    ['SYNC_SERVICE_SID', { SYNC_SERVICE_SID: 'my-service' }],
    ['ALLOWED_ORIGINS', { ALLOWED_ORIGINS: 'https://app.example.com/path' }],
    ['ADMIN_ALLOWED_ORIGINS', { ADMIN_ALLOWED_ORIGINS: 'https://ops.example.com, *' }],
    ['PUBLIC_BASE_URL', { PUBLIC_BASE_URL: 'http://voice.example.com' }],
    ['PUBLIC_BASE_URL', { PUBLIC_BASE_URL: 'not a url' }],
    ['TWILIO_API_BASE_URL', { TWILIO_API_BASE_URL: 'ftp://127.0.0.1' }],
    ['PUBLIC_BASE_URL', { PUBLIC_BASE_URL: '' }],
    ['DOMAIN_NAME', { PUBLIC_BASE_URL: '', DOMAIN_NAME: 'voice example.twil.io' }],
    ['ADMIN_ALLOWED_ORIGINS', { ADMIN_ALLOWED_ORIGINS: 'https://console.example.com,console.example.com' }],
    [
      'EVENTS_WEBHOOK_URL',
      { EVENTS_WEBHOOK_URL: 'http://backend.example.com', EVENTS_WEBHOOK_SECRET: 'w'.repeat(32) },
    ],
    [
      'EVENTS_WEBHOOK_URL',
      { EVENTS_WEBHOOK_URL: 'backend.example.com', EVENTS_WEBHOOK_SECRET: 'w'.repeat(32) },
    ],
    ['EVENTS_WEBHOOK_SECRET', { EVENTS_WEBHOOK_URL: 'https://backend.example.com' }],
    [
      'EVENTS_WEBHOOK_SECRET',
      { EVENTS_WEBHOOK_URL: 'https://backend.example.com', EVENTS_WEBHOOK_SECRET: 'short' },
    ],
    ['EVENTS_WEBHOOK_SECRET', { EVENTS_WEBHOOK_SECRET: 'short' }],
  ])('names %s when it is missing or malformed', (variable, overrides) => {
    expect(problemsOf(serviceEnv(overrides))).toEqual([variable]);
  });

  it('names every bad variable at once, never their values', () => {
    const env = serviceEnv({
      ACCOUNT_SID: 'ACnope',
      ADMIN_API_KEYS: 'secret-but-short',
      EVENTS_WEBHOOK_SECRET: 'events-secret-but-short',
    });
    try {
      loadConfig(env);
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toMatchObject({ status: 500, code: 'configuration_invalid' });
      const message = (error as Error).message;
      expect(message).toContain('ACCOUNT_SID');
      expect(message).toContain('ADMIN_API_KEYS');
      expect(message).toContain('EVENTS_WEBHOOK_SECRET must be at least 32 characters');
      expect(message).not.toContain('secret-but-short');
    }
  });

  it('names the variables that depend on each other along with every other bad one', () => {
    const env = serviceEnv({
      ACCOUNT_SID: 'ACnope',
      PUBLIC_BASE_URL: '',
      EVENTS_WEBHOOK_URL: 'https://backend.example.com',
    });
    expect(problemsOf(env).sort()).toEqual(['ACCOUNT_SID', 'EVENTS_WEBHOOK_SECRET', 'PUBLIC_BASE_URL']);
    expect(problemsOf({ ...env, DOMAIN_NAME: 'voice example.twil.io' }).sort()).toEqual([
      'ACCOUNT_SID',
      'DOMAIN_NAME',
      'EVENTS_WEBHOOK_SECRET',
    ]);
  });

  it('accepts a base64 registry key of 32 bytes and allows http only for localhost', () => {
    const key = Buffer.alloc(32, 7).toString('base64');
    const config = loadConfig(
      serviceEnv({ REGISTRY_ENCRYPTION_KEY: key, PUBLIC_BASE_URL: 'http://localhost:3000/' }),
    );
    expect(config.registryEncryptionKey.equals(Buffer.alloc(32, 7))).toBe(true);
    expect(config.publicBaseUrl).toBe('http://localhost:3000');
  });

  it('uses TWILIO_REQUEST_TIMEOUT_MS only for a stand-in at TWILIO_API_BASE_URL, never against Twilio', () => {
    const sandbox = 'http://127.0.0.1:4010';
    const timeout = (overrides: Record<string, string>) =>
      loadConfig(serviceEnv(overrides)).twilioRequestTimeoutMs;
    expect(timeout({ TWILIO_API_BASE_URL: sandbox, TWILIO_REQUEST_TIMEOUT_MS: '10000' })).toBe(10_000);
    expect(timeout({ TWILIO_API_BASE_URL: '', TWILIO_REQUEST_TIMEOUT_MS: '10000' })).toBe(REQUEST_TIMEOUT_MS);
    expect(timeout({ TWILIO_API_BASE_URL: sandbox, TWILIO_REQUEST_TIMEOUT_MS: '' })).toBe(REQUEST_TIMEOUT_MS);
    for (const bad of ['10 s', '999', '60001', '-5'])
      expect(
        problemsOf(serviceEnv({ TWILIO_API_BASE_URL: sandbox, TWILIO_REQUEST_TIMEOUT_MS: bad })),
      ).toEqual(['TWILIO_REQUEST_TIMEOUT_MS']);
  });

  it('documents every variable but DOMAIN_NAME (set by Twilio) in .env.example, with its metadata comments', () => {
    const example = readFileSync(path.resolve(__dirname, '../../.env.example'), 'utf8');
    const undocumented = CONFIG_VARIABLES.filter(
      (name) =>
        name !== 'DOMAIN_NAME' &&
        !new RegExp(
          `^# description: .+\\n# format: .+\\n(# .+\\n)*# required: (true|false)\\n${name}=`,
          'm',
        ).test(example),
    );
    expect(undocumented).toEqual([]);
  });
});
