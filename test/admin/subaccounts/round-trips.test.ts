/**
 * What an admin waits on, counted in sequential round trips to Twilio (the sandbox answering in lockstep:
 * testkit/round-trips.ts), not in time: create with a moved number or a bought one
 * in six (claim and number look-up; subaccount; its parts; its record, the number and its name; the
 * number pointed, its item and summary; the commit), close keeping 200 numbers in twelve.
 */
import { adminDeps } from '../../../src/admin/deps';
import { closeParameters, closeSubaccount } from '../../../src/admin/subaccounts/close';
import { createParameters, createSubaccount } from '../../../src/admin/subaccounts/create';
import { loadConfig } from '../../../src/config/config';
import { countRoundTrips } from '../../../testkit/round-trips';
import { defined, useSandbox } from '../../helpers/sandbox';
import { serviceEnv } from '../../../testkit/service-env';

jest.setTimeout(120_000);

const sandbox = useSandbox();
/** Twilio's latency on a slow day: the work fits the time budget of a Function at it. */
const LATENCY_MS = 150;

function setUp() {
  const main = sandbox().seed({ phoneNumbers: 3 });
  const deps = adminDeps(
    loadConfig(
      serviceEnv({
        ACCOUNT_SID: main.accountSid,
        AUTH_TOKEN: main.authToken,
        TWILIO_API_BASE_URL: sandbox().baseUrl,
      }),
    ),
  );
  const create = (key: string, number: Record<string, string | undefined>) =>
    createSubaccount(
      deps,
      createParameters.parse({ friendlyName: `Acme ${key}`, idempotencyKey: key, ...number }),
    );
  return { main, deps, create };
}

it('creates with a moved number, or a bought one, in six round trips', async () => {
  const { main, create } = setUp();
  // The Sync Maps every deployment has after its first create.
  await create('warm-up-create', { phoneNumberSid: defined(main.phoneNumbers[0]).sid });
  const moved = await countRoundTrips(
    sandbox(),
    () => create('moved-number', { phoneNumberSid: defined(main.phoneNumbers[1]).sid }),
    LATENCY_MS,
  );
  const bought = await countRoundTrips(
    sandbox(),
    () => create('bought-number', { areaCode: '415' }),
    LATENCY_MS,
  );
  expect({ moved: moved.roundTrips, bought: bought.roundTrips }).toEqual({ moved: 6, bought: 6 });
});

it('closes a subaccount keeping 200 numbers in twelve round trips', async () => {
  const { main, deps, create } = setUp();
  const { record } = await create('closing-acme', { phoneNumberSid: defined(main.phoneNumbers[0]).sid });
  for (let i = 1; i < 200; i++) sandbox().addPhoneNumber(record.key);
  let closed: unknown;
  const { roundTrips } = await countRoundTrips(
    sandbox(),
    async () => {
      closed = await closeSubaccount(
        deps,
        closeParameters.parse({ subaccountSid: record.key, confirm: record.key }),
      );
    },
    LATENCY_MS,
  );
  expect(closed).toMatchObject({ closed: true });
  expect(sandbox().state.incomingPhoneNumbers.filter((n) => n.accountSid === main.accountSid)).toHaveLength(
    202,
  );
  expect(roundTrips).toBeLessThanOrEqual(12);
});
