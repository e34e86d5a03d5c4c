/**
 * Where a number lands in its account beyond the move itself: its Messaging Service (one at a time,
 * 21712 otherwise) and its App link. (A bought number's Address: test/admin/subaccounts/provisioning.test.ts.)
 */
import { adminDeps, type AdminDeps } from '../../src/admin/deps';
import { addNumberToMessagingService } from '../../src/admin/messaging';
import { settleArrivedNumber } from '../../src/admin/numbers/arrival';
import { loadConfig } from '../../src/config/config';
import { useSandbox } from '../helpers/sandbox';
import { serviceEnv } from '../../testkit/service-env';

describe('number placement', () => {
  const sandbox = useSandbox();
  let deps: AdminDeps;
  let sub: { sid: string; authToken: string };

  beforeEach(async () => {
    const main = sandbox().seed();
    deps = adminDeps(
      loadConfig(
        serviceEnv({
          ACCOUNT_SID: main.accountSid,
          AUTH_TOKEN: main.authToken,
          TWILIO_API_BASE_URL: sandbox().baseUrl,
        }),
      ),
    );
    const account = await deps.clients.main().api.v2010.accounts.create({ friendlyName: 'Tenant' });
    sub = { sid: account.sid, authToken: account.authToken };
  });

  it('takes a number already in this Messaging Service as added, and refuses one in another (21712)', async () => {
    const number = sandbox().addPhoneNumber(sub.sid);
    const services = deps.clients.asSubaccount(sub.sid, sub.authToken).messaging.v1.services;
    const [first, second] = [
      await services.create({ friendlyName: 'first' }),
      await services.create({ friendlyName: 'second' }),
    ];
    await addNumberToMessagingService(deps, sub, first.sid, number.sid);
    await addNumberToMessagingService(deps, sub, first.sid, number.sid);
    await expect(addNumberToMessagingService(deps, sub, second.sid, number.sid)).rejects.toMatchObject({
      status: 409,
      code: 'twilio_refused',
      details: { twilioCode: 21712 },
    });
    expect(sandbox().state.messagingPhoneNumbers.map((entry) => entry.serviceSid)).toEqual([first.sid]);
  });

  it('clears, back in main, an App link the move left behind, with an empty VoiceApplicationSid', async () => {
    const app = await deps.clients.actingOn(sub.sid).applications.create({ friendlyName: 'voice' });
    // As if Twilio had kept the losing account's App on the number through the move.
    const number = sandbox().addPhoneNumber(deps.config.accountSid, { voiceApplicationSid: app.sid });
    const before = sandbox().log.length;
    await settleArrivedNumber(
      deps,
      deps.config.accountSid,
      { ...number, voiceApplicationSid: app.sid, addressSid: null },
      null,
      null,
    );
    expect(
      sandbox()
        .log.slice(before)
        .map((entry) => [entry.operationId, entry.fields, entry.status]),
    ).toEqual([['UpdateIncomingPhoneNumber', ['VoiceApplicationSid'], 200]]);
    expect(
      sandbox().state.incomingPhoneNumbers.find((n) => n.sid === number.sid)?.voiceApplicationSid,
    ).toBeNull();
    // Nothing left to clear: no request at all.
    await settleArrivedNumber(
      deps,
      deps.config.accountSid,
      { ...number, voiceApplicationSid: '', addressSid: null },
      null,
      null,
    );
    expect(sandbox().log.length).toBe(before + 1);
  });
});
