/**
 * The signature corpus: genuine webhook requests in every form Twilio sends them, and forged ones,
 * against the real voice handlers (Twilio's own event construction) and a sandbox that holds the
 * subaccounts' auth tokens. Every form runs for the main account and for a subaccount, under a
 * PUBLIC_BASE_URL without a port, with the default port written out, and with another port. Accepted
 * means TwiML that routes the call; refused means 403. The counts are printed as a table.
 */
import { randomBytes } from 'node:crypto';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';
import { startSandbox, type Sandbox } from '../../sandbox';
import { handler as voice } from '../../src/functions/voice';
import { handler as dialStatus } from '../../src/functions/voice/dial-status';
import type { FunctionHandler } from '../../src/http/json-function';
import { invokeFunction, type FunctionCall } from '../../testkit/function-runtime';
import { markdownTable } from '../../testkit/markdown-table';
import { provisionTenant, sandboxEnv, type ProvisionedTenant } from '../../testkit/provision-tenant';
import { serviceEnv } from '../../testkit/service-env';
import { callParams } from '../../testkit/signed-webhook';
import { verbsOf } from '../../testkit/twiml';

type Params = Record<string, string | string[]>;

/** One account signing requests under one PUBLIC_BASE_URL. */
interface Signer {
  env: Record<string, string>;
  /** PUBLIC_BASE_URL as configured. */
  base: string;
  /** The same URL in the other form Twilio may sign it in: default port written out or left off. */
  otherPortForm: string | undefined;
  accountSid: string;
  token: string;
  /** A served account's token that is not this account's. */
  otherTenantToken: string;
  /** For a subaccount the main account's token; for the main account a subaccount's. */
  parentOrChildToken: string;
}

interface CorpusCase {
  form: string;
  genuine: boolean;
  /** Whether the form exists under this PUBLIC_BASE_URL (the port forms only for the default port). */
  applies?: (base: string) => boolean;
  build(signer: Signer): { handler: FunctionHandler; call: FunctionCall };
}

const HOST = 'voice.example.com';
const BASES = [`https://${HOST}`, `https://${HOST}:443`, `https://${HOST}:8443`];

const callOf = (signer: Signer, extra: Params = {}): Params => ({
  ...callParams({ accountSid: signer.accountSid, from: 'client:alice', to: 'bob' }),
  ...extra,
});
const outcomeOf = (signer: Signer, extra: Params = {}): Params =>
  callOf(signer, { DialCallStatus: 'completed', ...extra });

/** A request to `path` as Twilio sends it: signed with `token` over `signedUrl` and the posted `params`. */
function signed(
  signer: Signer,
  path: string,
  options: { url?: string; params: Params; query?: Record<string, unknown>; token?: string },
): FunctionCall {
  const url = options.url ?? signer.base + path;
  const signature = getExpectedTwilioSignature(options.token ?? signer.token, url, options.params);
  return {
    env: signer.env,
    path,
    query: options.query ?? {},
    body: options.params,
    headers: { 'X-Twilio-Signature': signature },
  };
}

const onVoice = (call: FunctionCall) => ({ handler: voice, call });
const onDialStatus = (call: FunctionCall) => ({ handler: dialStatus, call });
const withQuery = (url: string, query: Record<string, string>) =>
  `${url}?${new URLSearchParams(query).toString()}`;
const without = (params: Params, name: string) =>
  Object.fromEntries(Object.entries(params).filter(([key]) => key !== name));

const GENUINE: CorpusCase[] = [
  {
    form: 'posted parameters, no query',
    genuine: true,
    build: (s) => onVoice(signed(s, '/voice', { params: callOf(s) })),
  },
  {
    form: 'URL signed in the other port form',
    genuine: true,
    applies: (base) => otherPortFormOf(base) !== undefined,
    build: (s) => onVoice(signed(s, '/voice', { url: `${s.otherPortForm}/voice`, params: callOf(s) })),
  },
  {
    form: 'unicode posted values',
    genuine: true,
    build: (s) => onVoice(signed(s, '/voice', { params: callOf(s, { CallerName: 'Zoë Ångström 日本 😀' }) })),
  },
  {
    form: 'empty posted value',
    genuine: true,
    build: (s) => onVoice(signed(s, '/voice', { params: callOf(s, { CallerName: '' }) })),
  },
];

const FORGED: CorpusCase[] = [
  {
    form: 'signed with a random token',
    genuine: false,
    build: (s) => onVoice(signed(s, '/voice', { params: callOf(s), token: randomBytes(16).toString('hex') })),
  },
  {
    form: "signed with another tenant's token",
    genuine: false,
    build: (s) => onVoice(signed(s, '/voice', { params: callOf(s), token: s.otherTenantToken })),
  },
  {
    form: 'main token for a subaccount / sub token for main',
    genuine: false,
    build: (s) => onVoice(signed(s, '/voice', { params: callOf(s), token: s.parentOrChildToken })),
  },
  {
    form: 'tampered value',
    genuine: false,
    build: (s) => {
      const call = signed(s, '/voice', { params: callOf(s) });
      return onVoice({ ...call, body: { ...call.body, To: '+14155550199' } });
    },
  },
  {
    form: 'added parameter',
    genuine: false,
    build: (s) => {
      const call = signed(s, '/voice', { params: callOf(s) });
      return onVoice({ ...call, body: { ...call.body, CallerId: '+14155550100' } });
    },
  },
  {
    form: 'removed parameter',
    genuine: false,
    build: (s) => {
      const call = signed(s, '/voice', { params: callOf(s) });
      return onVoice({ ...call, body: without(call.body as Params, 'To') });
    },
  },
  {
    form: 'replayed to another path',
    genuine: false,
    build: (s) =>
      onDialStatus({ ...signed(s, '/voice', { params: outcomeOf(s) }), path: '/voice/dial-status' }),
  },
  {
    form: 'signed for another host',
    genuine: false,
    build: (s) =>
      onVoice(signed(s, '/voice', { url: 'https://attacker.example.com/voice', params: callOf(s) })),
  },
  {
    form: 'query parameter the signed URL lacked',
    genuine: false,
    build: (s) => onVoice({ ...signed(s, '/voice', { params: callOf(s) }), query: { attempt: '2' } }),
  },
  {
    form: 'query value changed',
    genuine: false,
    build: (s) => {
      const call = signed(s, '/voice', { url: `${s.base}/voice?attempt=2`, params: callOf(s) });
      return onVoice({ ...call, query: { attempt: '3' } });
    },
  },
  // Signed with the right token, but not a request Twilio sends to this service: Twilio requests our
  // webhooks at the URLs we configure (none has a query string, all are POSTed) and never repeats a
  // voice parameter. Accepting these forms is what let one request cost seconds of HMACs.
  {
    form: 'query string on the URL, signed with it (ours carry none)',
    genuine: false,
    build: (s) => {
      const query = { attempt: '2', note: "a b+c/é'" };
      const url = withQuery(`${s.base}/voice/dial-status`, query);
      return onDialStatus(signed(s, '/voice/dial-status', { url, params: outcomeOf(s), query }));
    },
  },
  {
    form: 'GET, every parameter on the URL (ours are POSTed)',
    genuine: false,
    build: (s) => {
      const all = callOf(s) as Record<string, string>;
      const url = withQuery(`${s.base}/voice`, all);
      return onVoice({ ...signed(s, '/voice', { url, params: {} }), query: all, body: {} });
    },
  },
  {
    form: 'repeated posted parameter, signed with it',
    genuine: false,
    build: (s) => onVoice(signed(s, '/voice', { params: callOf(s, { Tag: ['x', 'y'] }) })),
  },
  {
    form: 'repeated query parameter, signed with it',
    genuine: false,
    build: (s) =>
      onVoice(
        signed(s, '/voice', {
          url: `${s.base}/voice?tag=b&tag=a`,
          params: callOf(s),
          query: { tag: ['b', 'a'] },
        }),
      ),
  },
  {
    // Twilio's signature format keeps one of equal values, so this still verifies with Twilio's validator.
    form: 'genuine browser call resent with From=client:alice appended',
    genuine: false,
    build: (s) => {
      const call = signed(s, '/voice', { params: callOf(s) });
      return onVoice({ ...call, body: { ...call.body, From: ['client:alice', 'client:alice'] } });
    },
  },
  {
    form: 'no signature',
    genuine: false,
    build: (s) => onVoice({ ...signed(s, '/voice', { params: callOf(s) }), headers: {} }),
  },
  {
    form: 'garbage signature',
    genuine: false,
    build: (s) =>
      onVoice({
        ...signed(s, '/voice', { params: callOf(s) }),
        headers: { 'X-Twilio-Signature': 'A'.repeat(28) },
      }),
  },
];

// Each form under each base URL, for the main account and for a subaccount.
const SIGNERS = BASES.flatMap((base) =>
  (['main account', 'subaccount'] as const).map((account) => ({ base, account })),
);
const CASES = [...GENUINE, ...FORGED].flatMap((corpusCase) =>
  SIGNERS.filter(({ base }) => corpusCase.applies?.(base) ?? true).map((signer) => ({
    ...corpusCase,
    ...signer,
  })),
);

/** The URL in the other form Twilio may have signed: `:443` added or removed; none for another port. */
function otherPortFormOf(base: string): string | undefined {
  const { port } = new URL(base);
  if (port === '') return `https://${HOST}:443`;
  return port === '443' ? `https://${HOST}` : undefined;
}

let sandbox: Sandbox;
let signers: Map<string, Signer>;
const results = new Map<
  string,
  { genuine: boolean; accepted: number; refused: number; unexpected: number }
>();

beforeAll(async () => {
  sandbox = await startSandbox();
  const plainEnv = sandboxEnv(sandbox, serviceEnv({ PUBLIC_BASE_URL: `https://${HOST}` }));
  const tenant: ProvisionedTenant = await provisionTenant(sandbox, plainEnv);
  const other: ProvisionedTenant = await provisionTenant(sandbox, plainEnv, { friendlyName: 'Other' });
  signers = new Map();
  for (const base of BASES) {
    const env = { ...plainEnv, PUBLIC_BASE_URL: base };
    const common = { env, base, otherPortForm: otherPortFormOf(base), otherTenantToken: other.authToken };
    signers.set(`${base} main account`, {
      ...common,
      accountSid: plainEnv.ACCOUNT_SID as string,
      token: plainEnv.AUTH_TOKEN as string,
      parentOrChildToken: tenant.authToken,
    });
    signers.set(`${base} subaccount`, {
      ...common,
      accountSid: tenant.sid,
      token: tenant.authToken,
      parentOrChildToken: plainEnv.AUTH_TOKEN as string,
    });
  }
});

afterAll(async () => {
  await sandbox.close();
  const rows = [...results];
  const total = (genuine: boolean, key: 'accepted' | 'refused') =>
    rows.filter(([, counts]) => counts.genuine === genuine).reduce((sum, [, counts]) => sum + counts[key], 0);
  console.log(
    `Signature corpus: genuine ${total(true, 'accepted')} accepted / ${total(true, 'refused')} refused; ` +
      `forged ${total(false, 'accepted')} accepted / ${total(false, 'refused')} refused\n` +
      markdownTable(
        ['form', 'kind', 'accepted', 'refused', 'not as expected'],
        rows.map(([form, c]) => [
          form,
          c.genuine ? 'genuine' : 'forged',
          c.accepted,
          c.refused,
          c.unexpected,
        ]),
      ),
  );
});

afterEach(() => {
  expect(sandbox.specViolations()).toEqual([]);
});

it.each(CASES)('$form ($account, PUBLIC_BASE_URL $base)', async (corpusCase) => {
  const signer = signers.get(`${corpusCase.base} ${corpusCase.account}`) as Signer;
  const { handler, call } = corpusCase.build(signer);
  const answer = await invokeFunction(handler, call);
  // Accepted: TwiML that routes the call (a <Reject/> would mean the account was not recognised).
  const accepted = answer.statusCode === 200 && !['', 'Reject'].includes(verbsOf(answer.text).join());
  const counts = results.get(corpusCase.form) ?? {
    genuine: corpusCase.genuine,
    accepted: 0,
    refused: 0,
    unexpected: 0,
  };
  counts[accepted ? 'accepted' : 'refused'] += 1;
  if (accepted !== corpusCase.genuine) counts.unexpected += 1;
  results.set(corpusCase.form, counts);
  if (corpusCase.genuine) expect(accepted).toBe(true);
  else expect(answer.statusCode).toBe(403);
});
