/**
 * create and close with the sandbox failing at each of their requests in turn (429 beyond the client's
 * retries, 5xx, a request never applied, an answer lost): retrying the same call converges to the same
 * final state. No duplicate subaccount, no subaccount without a registry item, no lost key secret, no
 * lost number.
 */
import { startSandbox, type FaultKind, type Sandbox } from '../../sandbox';
import { adminDeps, type AdminDeps } from '../../src/admin/deps';
import { closeParameters, closeSubaccount } from '../../src/admin/subaccounts/close';
import { createParameters, createSubaccount } from '../../src/admin/subaccounts/create';
import { loadConfig, type ServiceConfig } from '../../src/config/config';
import { decryptSecret } from '../../src/registry/secret-box';
import { MAX_429_RETRIES } from '../../src/twilio/rest-settings';
import { serviceEnv } from '../helpers/service-env';

let sandbox: Sandbox;
let config: ServiceConfig;
let main: { accountSid: string; authToken: string };

beforeAll(async () => {
  sandbox = await startSandbox();
  main = sandbox.seed();
  config = loadConfig(
    serviceEnv({
      ACCOUNT_SID: main.accountSid,
      AUTH_TOKEN: main.authToken,
      TWILIO_API_BASE_URL: sandbox.baseUrl,
    }),
  );
});

afterAll(() => sandbox.close());

/** A fresh sandbox with the same main account, and its numbers. */
function freshSandbox() {
  sandbox.reset();
  return sandbox.seed({ ...main, phoneNumbers: 3 }).phoneNumbers;
}

/** Each call sees a clock a minute later, so a retry may take over the lease of a call that failed. */
function depsWithClock(): AdminDeps {
  let minutes = 0;
  return adminDeps(config, () => new Date(Date.now() + minutes++ * 60_000));
}

/** Makes the n-th next request fail as `kind`; a 429 is repeated past the client's own retries. */
function failAt(n: number, kind: FaultKind) {
  const times = kind === '429' ? MAX_429_RETRIES + 1 : 1;
  for (let i = 0; i < times; i++) sandbox.failRequest(n + i, kind, { holdMs: 20 });
}

/** Runs `attempt` until it succeeds (the faults are used up by then), at most 4 times. */
async function converge<T>(attempt: () => Promise<T>): Promise<{ result: T; failures: number }> {
  for (let failures = 0; ; failures++) {
    try {
      return { result: await attempt(), failures };
    } catch (error) {
      if (failures >= 3) throw error;
    }
  }
}

const KINDS: FaultKind[] = ['429', '500', 'timeout-before', 'timeout-after'];

describe('create under faults', () => {
  const parametersFor = (phoneNumberSid: string) =>
    createParameters.parse({
      friendlyName: 'Acme',
      idempotencyKey: 'acme-fault-1',
      phoneNumberSid,
      messagingService: true,
    });

  let requestsInCreate = 0;
  beforeAll(async () => {
    const numbers = freshSandbox();
    await createSubaccount(depsWithClock(), parametersFor(numbers[0]?.sid ?? ''));
    requestsInCreate = sandbox.log.length;
  });

  it('makes a known number of requests', () => {
    expect(requestsInCreate).toBeGreaterThanOrEqual(10);
  });

  const cases = KINDS.flatMap((kind) => Array.from({ length: 14 }, (_, index) => [index + 1, kind] as const));
  it.each(cases)('request %i failing with %s: a retry converges', async (position, kind) => {
    if (position > requestsInCreate) return;
    const numbers = freshSandbox();
    const deps = depsWithClock();
    const moved = numbers[0]?.sid ?? '';
    failAt(position, kind);
    const { result } = await converge(() => createSubaccount(deps, parametersFor(moved)));
    sandbox.clearFaults();

    const subaccounts = sandbox.state.accounts.filter((a) => a.ownerAccountSid === main.accountSid);
    expect(subaccounts.map((a) => [a.friendlyName, a.status])).toEqual([['Acme', 'active']]);
    const sid = subaccounts[0]?.sid ?? '';
    const record = result.record.data;
    expect(record.sid).toBe(sid);
    expect((await deps.registry.get(sid))?.data.apiKey?.sid).toBe(record.apiKey?.sid);

    const keys = sandbox.state.keys.filter((k) => k.accountSid === sid);
    expect(keys.map((k) => k.sid)).toEqual([record.apiKey?.sid]);
    expect(
      decryptSecret(
        config.registryEncryptionKey,
        record.apiKey?.secret ?? { alg: 'A256GCM', iv: '', tag: '', data: '' },
        sid,
      ),
    ).toBe(keys[0]?.secret);

    const apps = sandbox.state.applications.filter((a) => a.accountSid === sid);
    expect(apps.map((a) => a.sid)).toEqual([record.twimlAppSid]);
    const number = sandbox.state.incomingPhoneNumbers.find((n) => n.sid === moved);
    expect(number).toMatchObject({ accountSid: sid, voiceApplicationSid: record.twimlAppSid });
    const services = sandbox.state.messagingServices.filter((s) => s.accountSid === sid);
    expect(services.map((s) => s.sid)).toEqual([record.messagingServiceSid]);
    expect(sandbox.state.messagingPhoneNumbers.map((n) => [n.sid, n.serviceSid])).toEqual([
      [moved, record.messagingServiceSid],
    ]);
  });
});

describe('close under faults', () => {
  const NUMBERS = 3;

  async function subaccountWithNumbers(deps: AdminDeps) {
    const numbers = freshSandbox();
    const { record } = await createSubaccount(
      deps,
      createParameters.parse({
        friendlyName: 'Closing',
        idempotencyKey: 'closing-1',
        phoneNumberSid: numbers[0]?.sid,
      }),
    );
    const sid = record.key;
    const extra = Array.from({ length: NUMBERS - 1 }, () =>
      sandbox.addPhoneNumber(sid, { voiceApplicationSid: record.data.twimlAppSid ?? undefined }),
    );
    return { sid, numberSids: [numbers[0]?.sid ?? '', ...extra.map((n) => n.sid)].sort() };
  }

  let requestsInClose = 0;
  beforeAll(async () => {
    const deps = depsWithClock();
    const { sid } = await subaccountWithNumbers(deps);
    const before = sandbox.log.length;
    await closeSubaccount(deps, closeParameters.parse({ subaccountSid: sid, confirm: sid }));
    requestsInClose = sandbox.log.length - before;
  });

  const cases = KINDS.flatMap((kind) => Array.from({ length: 8 }, (_, index) => [index + 1, kind] as const));
  it.each(cases)('request %i failing with %s: a retry converges', async (position, kind) => {
    if (position > requestsInClose) return;
    const deps = depsWithClock();
    const { sid, numberSids } = await subaccountWithNumbers(deps);
    failAt(position, kind);
    const { result } = await converge(() =>
      closeSubaccount(deps, closeParameters.parse({ subaccountSid: sid, confirm: sid })),
    );
    sandbox.clearFaults();

    expect(result.closed).toBe(true);
    expect(sandbox.state.accounts.find((a) => a.sid === sid)?.status).toBe('closed');
    const inMain = sandbox.state.incomingPhoneNumbers
      .filter((n) => n.accountSid === main.accountSid)
      .map((n) => n.sid);
    expect(inMain).toEqual(expect.arrayContaining(numberSids));
    expect(
      sandbox.state.incomingPhoneNumbers
        .filter((n) => numberSids.includes(n.sid))
        .every((n) => n.voiceApplicationSid === null),
    ).toBe(true);
    expect((await deps.registry.get(sid))?.data).toMatchObject({
      status: 'closed',
      numbers: [],
      apiKey: null,
    });
  });
});
