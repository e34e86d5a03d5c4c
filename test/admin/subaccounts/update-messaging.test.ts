/**
 * `update` with `messagingService`, in-process against the sandbox: the Messaging Service made later
 * with the subaccount's own credentials, holding its numbers; taken away again; both idempotent.
 */
import { handler as update } from '../../../src/functions/admin/subaccounts/update';
import { loadConfig } from '../../../src/config/config';
import { subaccountRegistry } from '../../../src/registry/registry';
import { startAdminFixture, type AdminFixture } from '../../helpers/admin-fixture';
import { invokeFunction } from '../../../testkit/function-runtime';
import { adminKeyOf } from '../../../testkit/service-env';

let fixture: AdminFixture;

beforeAll(async () => {
  fixture = await startAdminFixture();
});
afterAll(() => fixture.sandbox.close());
afterEach(() => {
  expect(fixture.sandbox.specViolations()).toEqual([]);
});

const setMessaging = async (messagingService: boolean | string) => {
  const answer = await invokeFunction(update, {
    env: fixture.env,
    body: { subaccountSid: fixture.subaccountSid, messagingService },
    headers: { authorization: `Bearer ${adminKeyOf(fixture.env)}` },
  });
  expect(answer.statusCode).toBe(200);
  return answer.json<{ subaccount: { messagingServiceSid: string | null; numbers: { sid: string }[] } }>()
    .subaccount;
};

const state = () => fixture.sandbox.state;
const servicesOfSubaccount = () =>
  state().messagingServices.filter((s) => s.accountSid === fixture.subaccountSid);
const messagingRequests = () => fixture.sandbox.requests({ host: 'messaging.twilio.com' });

describe('update messagingService', () => {
  it('true makes the subaccount its own Messaging Service, with its credentials, holding its numbers', async () => {
    const before = messagingRequests().length;
    const subaccount = await setMessaging(true);
    expect(subaccount.messagingServiceSid).toMatch(/^MG[0-9a-f]{32}$/);
    expect(servicesOfSubaccount().map((s) => s.sid)).toEqual([subaccount.messagingServiceSid]);
    const numberSids = subaccount.numbers.map((n) => n.sid);
    expect(numberSids).toHaveLength(1);
    expect(
      state()
        .messagingPhoneNumbers.filter((n) => n.serviceSid === subaccount.messagingServiceSid)
        .map((n) => n.sid),
    ).toEqual(numberSids);
    expect(messagingRequests().length).toBeGreaterThan(before);
    for (const request of messagingRequests().slice(before)) {
      expect(request).toMatchObject({ credentialKind: 'sub', accountSid: fixture.subaccountSid });
    }
  });

  it('true again changes nothing: the same service, no second one', async () => {
    const first = servicesOfSubaccount()[0]?.sid;
    expect((await setMessaging('true')).messagingServiceSid).toBe(first);
    expect(servicesOfSubaccount()).toHaveLength(1);
  });

  it('false takes the numbers out and deletes the service; false again does nothing', async () => {
    const subaccount = await setMessaging(false);
    expect(subaccount.messagingServiceSid).toBeNull();
    expect(servicesOfSubaccount()).toEqual([]);
    const numberSids = new Set(subaccount.numbers.map((n) => n.sid));
    expect(state().messagingPhoneNumbers.filter((n) => numberSids.has(n.sid))).toEqual([]);
    const before = messagingRequests().length;
    expect((await setMessaging(false)).messagingServiceSid).toBeNull();
    expect(messagingRequests().length).toBe(before);
  });

  it('true finds a service made earlier whose registry write was lost, rather than making a second', async () => {
    const made = await setMessaging(true);
    // As if the registry write after Twilio's work had failed: the registry forgets the service.
    await subaccountRegistry(loadConfig(fixture.env)).update(fixture.subaccountSid, (record) => ({
      ...record,
      messagingServiceSid: null,
    }));
    expect((await setMessaging(true)).messagingServiceSid).toBe(made.messagingServiceSid);
    expect(servicesOfSubaccount()).toHaveLength(1);
  });
});
