import path from 'node:path';
import {
  CONTEXT_LIMIT_BYTES,
  contextRefusal,
  largestContext,
} from '../../../scripts/twilio-run/context-limit';
import { deployToSandbox } from '../../../scripts/local/deploy-to-sandbox';
import { useSandbox } from '../../helpers/sandbox';
import { serviceEnv } from '../../../testkit/service-env';

const root = path.resolve(__dirname, '../../..');

/** Variables within Twilio's 450 bytes each, together over 3 KB of context: ALLOWED_ORIGINS the largest. */
function oversizedEnv() {
  const origins = Array.from({ length: 20 }, (_, i) => `https://customer-${i}.example.com`).join(',');
  return serviceEnv({
    ALLOWED_ORIGINS: origins.slice(0, 445),
    ADMIN_ALLOWED_ORIGINS: origins.slice(0, 430),
    PUBLIC_BASE_URL: `https://voice.example.com/${'p'.repeat(400)}`,
    ADMIN_API_KEYS: Array.from({ length: 6 }, (_, i) => `admin_${String(i).repeat(64)}`).join(','),
    EVENTS_WEBHOOK_URL: `https://events.example.com/${'x'.repeat(400)}`,
    EVENTS_WEBHOOK_SECRET: 'e'.repeat(420),
    TOKEN_TICKET_SECRET: 't'.repeat(420),
  });
}

describe('the Functions context limit (82006) before a deploy', () => {
  const sandbox = useSandbox();

  it('counts account metadata, domain, path and every Variable as one JSON string', () => {
    const estimate = {
      variables: { SYNC_SERVICE_SID: 'default' },
      serviceName: 'voice',
      environmentSuffix: 'stage',
      functionPaths: ['/voice', '/admin/subaccounts/create'],
    };
    const { bytes } = largestContext(estimate);
    expect(bytes).toBe(
      Buffer.byteLength(
        JSON.stringify({
          ACCOUNT_SID: `AC${'0'.repeat(32)}`,
          AUTH_TOKEN: '0'.repeat(32),
          SERVICE_SID: `AC${'0'.repeat(32)}`,
          ENVIRONMENT_SID: `AC${'0'.repeat(32)}`,
          DOMAIN_NAME: 'voice-0000-stage.twil.io',
          PATH: '/admin/subaccounts/create',
          SYNC_SERVICE_SID: 'default',
        }),
      ),
    );
    expect(contextRefusal(estimate)).toBeUndefined();
    const seven = Object.fromEntries(Array.from({ length: 7 }, (_, i) => [`V${i}`, 'x'.repeat(440 + i)]));
    expect(contextRefusal({ ...estimate, variables: seven })).toMatch(/82006.*V6 \(453 bytes\), V5/);
    expect(contextRefusal({ ...estimate, variables: { ONE: 'x'.repeat(451) } })).toBe(
      "Variable ONE is 451 bytes, over Twilio's 450 for one Variable.",
    );
    expect(CONTEXT_LIMIT_BYTES).toBe(3072);
  });

  it('refuses the deploy before anything is uploaded, naming the largest Variables', async () => {
    const main = sandbox().seed();
    const refused = deployToSandbox({
      sandboxUrl: sandbox().baseUrl,
      accountSid: main.accountSid,
      authToken: main.authToken,
      projectDir: root,
      env: oversizedEnv(),
    });
    await expect(refused).rejects.toThrow(/error 82006.*Largest Variables: ALLOWED_ORIGINS \(\d+ bytes\)/);
    expect(sandbox().requests()).toEqual([]);
  });
});
