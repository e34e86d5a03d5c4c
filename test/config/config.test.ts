import { ConfigError, loadConfig } from '../../src/config/config';
import { serviceEnv } from '../helpers/service-env';

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
  ])('names %s when it is missing or malformed', (variable, overrides) => {
    expect(problemsOf(serviceEnv(overrides))).toEqual([variable]);
  });

  it('names every bad variable at once, never their values', () => {
    const env = serviceEnv({ ACCOUNT_SID: 'ACnope', ADMIN_API_KEYS: 'secret-but-short' });
    try {
      loadConfig(env);
      throw new Error('expected a ConfigError');
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toContain('ACCOUNT_SID');
      expect(message).toContain('ADMIN_API_KEYS');
      expect(message).not.toContain('secret-but-short');
    }
  });

  it('accepts a base64 registry key of 32 bytes and allows http only for localhost', () => {
    const key = Buffer.alloc(32, 7).toString('base64');
    const config = loadConfig(
      serviceEnv({ REGISTRY_ENCRYPTION_KEY: key, PUBLIC_BASE_URL: 'http://localhost:3000/' }),
    );
    expect(config.registryEncryptionKey.equals(Buffer.alloc(32, 7))).toBe(true);
    expect(config.publicBaseUrl).toBe('http://localhost:3000');
  });
});
