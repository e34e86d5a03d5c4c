/**
 * Admin operations against the sandbox with 150 ms latency per Twilio request, as on a slow day: each
 * row counts the sequential round trips (the sandbox answering in lockstep: testkit/round-trips.ts) beside
 * the fewest the job needs, with wall time and requests. The Sync Maps exist beforehand, as in any
 * deployment after its first create.
 *
 * The minimums, by what must wait for what:
 * - create with a moved number: 6. The key's record must be taken before the subaccount is made (two
 *   calls with one key must not make two), and the subaccount exists before anything in it: (1) claim,
 *   (2) subaccount; (3) its key, App and Map (its SID only now known); (4) its record (in that Map) and
 *   the number moved (a request of its own, Twilio's documented move); (5) the number pointed at the
 *   App, its item and summary; (6) the commit, the `account` item last, so a reader never sees an
 *   `active` record whose number is not in place.
 * - create buying a number: 6, the same chain (the purchase names the App, so nothing is pointed after).
 * - create with an Address to copy for a number that needs one in its country: 7, the Lookup of the
 *   number's country before anything is made.
 * - close keeping 200 numbers: 12. Read the record (the numbers listed beside it), take its operation
 *   record, 200 moves at 50 in flight (4), list again (a number that arrived meanwhile), close on
 *   Twilio, the registry's read and write (3: read, summary and items, then the `account` item), and
 *   the operation record completed.
 */
import { startSandbox } from '../sandbox';
import { adminDeps } from '../src/admin/deps';
import { closeParameters, closeSubaccount } from '../src/admin/subaccounts/close';
import { createParameters, createSubaccount } from '../src/admin/subaccounts/create';
import { loadConfig } from '../src/config/config';
import { countRoundTrips } from '../testkit/round-trips';
import { serviceEnv } from '../testkit/service-env';
import { ms, type BenchRow } from './harness';

const LATENCY_MS = 150;
const NUMBERS_KEPT = 200;

export async function run(): Promise<BenchRow[]> {
  const sandbox = await startSandbox();
  try {
    const main = sandbox.seed({ phoneNumbers: 3 });
    const config = loadConfig(
      serviceEnv({
        ACCOUNT_SID: main.accountSid,
        AUTH_TOKEN: main.authToken,
        TWILIO_API_BASE_URL: sandbox.baseUrl,
      }),
    );
    const deps = adminDeps(config);
    const create = (key: string, number: Record<string, string | undefined>) =>
      createSubaccount(
        deps,
        createParameters.parse({ friendlyName: `Bench ${key}`, idempotencyKey: key, ...number }),
      );
    const needingAddress = () => ({
      number: sandbox.addPhoneNumber(main.accountSid, { addressRequirements: 'local' }),
      address: sandbox.addAddress(main.accountSid, 'US'),
    });
    // Warm-up: creates the Sync Maps and loads the REST modules (and the sandbox its schemas).
    await create('bench-warm-1', { phoneNumberSid: main.phoneNumbers[0]?.sid });
    const warm = needingAddress();
    await create('bench-warm-2', { phoneNumberSid: warm.number.sid, addressSid: warm.address.sid });

    const measure = async (work: () => Promise<unknown>) => {
      const started = performance.now();
      const counted = await countRoundTrips(sandbox, work, LATENCY_MS);
      return { ...counted, wallMs: performance.now() - started };
    };
    const moved = await measure(() =>
      create('bench-create-1', { phoneNumberSid: main.phoneNumbers[1]?.sid }),
    );
    const bought = await measure(() => create('bench-create-2', { areaCode: '415' }));
    const { number, address } = needingAddress();
    const copied = await measure(() =>
      create('bench-create-3', { phoneNumberSid: number.sid, addressSid: address.sid }),
    );

    const { record } = await create('bench-close-1', { phoneNumberSid: main.phoneNumbers[2]?.sid });
    for (let i = 1; i < NUMBERS_KEPT; i++) sandbox.addPhoneNumber(record.key);
    let finished = false;
    const closed = await measure(async () => {
      const outcome = await closeSubaccount(
        deps,
        closeParameters.parse({ subaccountSid: record.key, confirm: record.key }),
      );
      finished = outcome.closed;
    });

    const row = (name: string, counted: typeof moved, minimum: number): BenchRow => ({
      name: `admin ${name} (${LATENCY_MS} ms latency)`,
      result: `${counted.roundTrips} round trips, ${ms(counted.wallMs)}, ${counted.requests} REST requests`,
      baseline: `minimum ${minimum} round trips`,
      ratio: counted.roundTrips / minimum,
      target: `<= ${minimum} round trips`,
    });
    return [
      row('create with a moved number', moved, 6),
      row('create buying a number', bought, 6),
      row('create with a moved number and an Address to copy', copied, 7),
      row(
        `close keeping ${NUMBERS_KEPT} numbers${finished ? '' : ', cut short by the time budget'}`,
        closed,
        12,
      ),
    ];
  } finally {
    await sandbox.close();
  }
}
