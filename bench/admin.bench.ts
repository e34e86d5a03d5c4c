/**
 * Admin operations against the sandbox with 150 ms latency per Twilio request, as on a slow day:
 * wall time and REST request count of `create` with a moved number (target: 5 sequential round trips,
 * under 1 s), of the same with a number that needs an Address in its country and an Address of the main
 * account to copy (one round trip more: the Lookup of the number's country; the copy runs beside the
 * subaccount's other parts) and of `close` keeping 50 numbers (target: under 2 s). The Sync maps exist beforehand, as
 * in any deployment after its first create.
 */
import { startSandbox } from '../sandbox';
import { adminDeps } from '../src/admin/deps';
import { closeParameters, closeSubaccount } from '../src/admin/subaccounts/close';
import { createParameters, createSubaccount } from '../src/admin/subaccounts/create';
import { loadConfig } from '../src/config/config';
import { serviceEnv } from '../test/helpers/service-env';
import { ms, type BenchRow } from './harness';

const LATENCY_MS = 150;
const NUMBERS_KEPT = 50;

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
    const create = (key: string, phoneNumberSid: string | undefined, addressSid?: string) =>
      createSubaccount(
        deps,
        createParameters.parse({
          friendlyName: `Bench ${key}`,
          idempotencyKey: key,
          phoneNumberSid,
          addressSid,
        }),
      );
    const needingAddress = () => ({
      number: sandbox.addPhoneNumber(main.accountSid, { addressRequirements: 'local' }),
      address: sandbox.addAddress(main.accountSid, 'US'),
    });
    // Warm-up: creates both Sync maps and loads the REST modules (and the sandbox its Address and
    // Lookup schemas).
    await create('bench-warm-1', main.phoneNumbers[0]?.sid);
    const warm = needingAddress();
    await create('bench-warm-2', warm.number.sid, warm.address.sid);

    sandbox.setLatency(LATENCY_MS);
    const measure = async (work: () => Promise<unknown>) => {
      const requests = sandbox.log.length;
      const started = performance.now();
      await work();
      return { wallMs: performance.now() - started, requests: sandbox.log.length - requests };
    };
    const created = await measure(() => create('bench-create-1', main.phoneNumbers[1]?.sid));
    const { number, address } = needingAddress();
    const createdWithAddress = await measure(() => create('bench-create-2', number.sid, address.sid));

    sandbox.setLatency(0);
    const { record } = await create('bench-close-1', main.phoneNumbers[2]?.sid);
    for (let i = 1; i < NUMBERS_KEPT; i++)
      sandbox.addPhoneNumber(record.key, { voiceApplicationSid: record.data.twimlAppSid ?? undefined });
    sandbox.setLatency(LATENCY_MS);
    const closed = await measure(() =>
      closeSubaccount(deps, closeParameters.parse({ subaccountSid: record.key, confirm: record.key })),
    );

    const roundTrips = (wallMs: number) => (wallMs / LATENCY_MS).toFixed(1);
    return [
      {
        name: `admin create with a moved number (${LATENCY_MS} ms latency)`,
        result: `${ms(created.wallMs)}, ${created.requests} REST requests, ~${roundTrips(created.wallMs)} latencies`,
        baseline: `1 s`,
        ratio: created.wallMs / 1000,
        target: '<= 5 round trips, < 1 s',
      },
      {
        name: `admin create with a moved number and an Address to copy (${LATENCY_MS} ms latency)`,
        result: `${ms(createdWithAddress.wallMs)}, ${createdWithAddress.requests} REST requests, ~${roundTrips(createdWithAddress.wallMs)} latencies`,
        baseline: `1.2 s`,
        ratio: createdWithAddress.wallMs / 1200,
        target: '<= 6 round trips, < 1.2 s',
      },
      {
        name: `admin close keeping ${NUMBERS_KEPT} numbers (${LATENCY_MS} ms latency)`,
        result: `${ms(closed.wallMs)}, ${closed.requests} REST requests, ~${roundTrips(closed.wallMs)} latencies`,
        baseline: '2 s',
        ratio: closed.wallMs / 2000,
        target: '< 2 s',
      },
    ];
  } finally {
    await sandbox.close();
  }
}
