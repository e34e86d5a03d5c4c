/**
 * One lifecycle change at a time per subaccount, by its operation record. Run against the sandbox with
 * latency, at many timings: simultaneous suspend and reactivate end with Twilio and the registry
 * agreeing, and a close racing a transfer into the subaccount never lets the number be released with
 * it. The loser of a race is told 409 `subaccount_busy` and when to retry; a record left in progress by a
 * killed call lapses.
 */
import seedrandom from 'seedrandom';
import { adminDeps, type AdminDeps } from '../../../src/admin/deps';
import { transferNumber, transferParameters } from '../../../src/admin/numbers/transfer';
import { OPERATION_LEASE_MS } from '../../../src/admin/operations/record';
import { closeParameters, closeSubaccount } from '../../../src/admin/subaccounts/close';
import { createParameters, createSubaccount } from '../../../src/admin/subaccounts/create';
import { reactivateSubaccount } from '../../../src/admin/subaccounts/reactivate';
import { suspendSubaccount } from '../../../src/admin/subaccounts/suspend';
import { loadConfig } from '../../../src/config/config';
import { isServiceError } from '../../../src/errors/service-error';
import { holdOperation } from '../../helpers/held-operation';
import { defined, useSandbox } from '../../helpers/sandbox';
import { propertyRuns } from '../../helpers/property-runs';
import { serviceEnv } from '../../../testkit/service-env';

jest.setTimeout(120_000);

const sandbox = useSandbox();
/** Random timings per race in `npm run load:fuzz` (property-runs.ts). */
const TIMINGS = 12;
/**
 * Timings of each race in `npm test`: a share of them. Each timing overlaps the two changes more often
 * than not, so the share still sees a refusal.
 */
const RACE_TIMINGS = propertyRuns({ quick: 6, full: TIMINGS }).numRuns;
/**
 * The close and transfer race: Twilio's latency per request, and the window each change starts in, four
 * requests wide. Either change makes several sequential requests, so the start offsets pick where in
 * each other's requests they meet; what is explored is counted in requests, not milliseconds.
 */
const CLOSE_LATENCY_MS = 75;
const CLOSE_WINDOW_MS = 4 * CLOSE_LATENCY_MS;
const random = seedrandom('lease timings');

function depsFor(main: { accountSid: string; authToken: string }, now?: () => Date): AdminDeps {
  const env = serviceEnv({
    ACCOUNT_SID: main.accountSid,
    AUTH_TOKEN: main.authToken,
    TWILIO_API_BASE_URL: sandbox().baseUrl,
  });
  return adminDeps(loadConfig(env), now);
}

async function subaccount(deps: AdminDeps, name: string, phoneNumberSid?: string) {
  const { record } = await createSubaccount(
    deps,
    createParameters.parse({ friendlyName: name, idempotencyKey: `${name}-create-0`, phoneNumberSid }),
  );
  return record.key;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `work` after a random delay of up to `ms`; its refusal, if any, is the outcome. */
async function after<T>(ms: number, work: () => Promise<T>): Promise<{ ok: T } | { refused: unknown }> {
  await sleep(Math.floor(random() * ms));
  try {
    return { ok: await work() };
  } catch (refused) {
    return { refused };
  }
}

const busy = (outcome: { refused?: unknown }) =>
  isServiceError(outcome.refused) && outcome.refused.code === 'subaccount_busy';

it('ends simultaneous suspend and reactivate with Twilio and the registry agreeing, at every timing', async () => {
  const main = sandbox().seed();
  const deps = depsFor(main);
  const sid = await subaccount(deps, 'racing');
  let refusals = 0;
  for (let timing = 0; timing < RACE_TIMINGS; timing++) {
    sandbox().setLatency(Math.floor(random() * 40));
    const outcomes = await Promise.all([
      after(60, () => suspendSubaccount(deps, sid)),
      after(60, () => reactivateSubaccount(deps, sid)),
    ]);
    for (const outcome of outcomes) {
      if ('refused' in outcome) {
        expect(busy(outcome)).toBe(true);
        refusals += 1;
      }
    }
    sandbox().setLatency(0);
    const onTwilio = sandbox().state.accounts.find((account) => account.sid === sid)?.status;
    const inRegistry = (await deps.registry.get(sid))?.data.status;
    expect({ timing, inRegistry }).toEqual({ timing, inRegistry: onTwilio });
  }
  // The timings made the two overlap at least once, and the loser was told to wait.
  expect(refusals).toBeGreaterThan(0);
});

it('never releases a number moved in while the subaccount closes, at every timing', async () => {
  let refusals = 0;
  for (let timing = 0; timing < RACE_TIMINGS; timing++) {
    sandbox().reset();
    const main = sandbox().seed({ phoneNumbers: 2 });
    const deps = depsFor(main);
    const [held, moving] = [defined(main.phoneNumbers[0]), defined(main.phoneNumbers[1])];
    const sid = await subaccount(deps, `closing-${timing}`, held.sid);
    sandbox().setLatency(CLOSE_LATENCY_MS);
    const [closing, transferring] = await Promise.all([
      after(CLOSE_WINDOW_MS, () =>
        closeSubaccount(deps, closeParameters.parse({ subaccountSid: sid, confirm: sid })),
      ),
      after(CLOSE_WINDOW_MS, () =>
        transferNumber(deps, transferParameters.parse({ phoneNumberSid: moving.sid, toAccountSid: sid })),
      ),
    ]);
    sandbox().setLatency(0);
    for (const outcome of [closing, transferring]) {
      if ('refused' in outcome) {
        expect(busy(outcome)).toBe(true);
        refusals += 1;
      }
    }
    // Both numbers still exist, whoever won: in main after a close, else wherever the transfer left them.
    const owners = [held.sid, moving.sid].map(
      (numberSid) => sandbox().state.incomingPhoneNumbers.find((n) => n.sid === numberSid)?.accountSid,
    );
    expect({ timing, released: owners.filter((owner) => owner === undefined).length }).toEqual({
      timing,
      released: 0,
    });
    if ('ok' in closing && closing.ok.closed) expect(owners).toEqual([main.accountSid, main.accountSid]);
  }
  expect(refusals).toBeGreaterThan(0);
});

it('answers 409 subaccount_busy with when to retry, until a record left by a killed call lapses', async () => {
  const main = sandbox().seed();
  let now = Date.now();
  const deps = depsFor(main, () => new Date(now));
  const sid = await subaccount(deps, 'killed');
  // A suspend that was killed after taking the subaccount's record: the record stays in progress.
  holdOperation(sandbox(), deps.config.registryKeys, sid, 'suspend', now);

  await expect(reactivateSubaccount(deps, sid)).rejects.toMatchObject({
    status: 409,
    code: 'subaccount_busy',
    details: { subaccountSid: sid, operation: 'suspend', retryAfterSeconds: OPERATION_LEASE_MS / 1000 },
    message: expect.stringMatching(/suspend is under way; retry in 12 s/),
  });
  expect(sandbox().state.accounts.find((account) => account.sid === sid)?.status).toBe('active');

  now += OPERATION_LEASE_MS + 1;
  await suspendSubaccount(deps, sid);
  expect(sandbox().state.accounts.find((account) => account.sid === sid)?.status).toBe('suspended');
  // Released afterwards: the next change is not kept waiting.
  await reactivateSubaccount(deps, sid);
  expect((await deps.registry.get(sid))?.data.status).toBe('active');
});
