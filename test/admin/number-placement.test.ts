/**
 * Where a number lands in its account beyond the move itself: its Messaging Service (one at a time,
 * 21712 otherwise) and, for a bought number, the Address its requirement asks for.
 */
import { adminDeps, type AdminDeps } from '../../src/admin/deps';
import { addNumberToMessagingService } from '../../src/admin/messaging';
import { settleArrivedNumber } from '../../src/admin/numbers/arrival';
import { ensureNumber } from '../../src/admin/subaccounts/create-steps';
import type { ClaimedCreation } from '../../src/admin/subaccounts/creation-journal';
import { loadConfig } from '../../src/config/config';
import { defined, useSandbox } from '../helpers/sandbox';
import { serviceEnv } from '../helpers/service-env';

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

  describe('buying a number for a new subaccount', () => {
    const creation = { resumed: false } as ClaimedCreation;
    const app = async () =>
      (await deps.clients.actingOn(sub.sid).applications.create({ friendlyName: 'voice' })).sid;

    it('without an addressSid, buys only among numbers needing no address', async () => {
      sandbox().addAvailableNumber({ areaCode: '303', addressRequirements: 'any' });
      const free = sandbox().addAvailableNumber({ areaCode: '303' });
      const bought = await ensureNumber(deps, creation, sub.sid, await app(), {
        kind: 'buy',
        areaCode: '303',
        isoCountry: 'US',
      });
      expect(bought.phoneNumber).toBe(free.phoneNumber);
      await expect(
        ensureNumber(deps, creation, sub.sid, await app(), {
          kind: 'buy',
          areaCode: '303',
          isoCountry: 'US',
        }),
      ).rejects.toMatchObject({ code: 'no_number_available' });
    });

    it('with an addressSid, buys a number needing one and sends it (AddressSid)', async () => {
      const offer = sandbox().addAvailableNumber({ areaCode: '303', addressRequirements: 'local' });
      const address = sandbox().addAddress(sub.sid, 'US');
      const bought = await ensureNumber(deps, creation, sub.sid, await app(), {
        kind: 'buy',
        areaCode: '303',
        isoCountry: 'US',
        addressSid: address.sid,
      });
      expect(bought.phoneNumber).toBe(offer.phoneNumber);
      const held = defined(
        sandbox().state.incomingPhoneNumbers.find((n) => n.phoneNumber === offer.phoneNumber),
      );
      expect(held).toMatchObject({ accountSid: sub.sid, addressSid: address.sid });
    });

    it('refuses an addressSid that does not fit before buying anything', async () => {
      sandbox().addAvailableNumber({ areaCode: '303', addressRequirements: 'local' });
      const abroad = sandbox().addAddress(sub.sid, 'CA');
      await expect(
        ensureNumber(deps, creation, sub.sid, await app(), {
          kind: 'buy',
          areaCode: '303',
          isoCountry: 'US',
          addressSid: abroad.sid,
        }),
      ).rejects.toMatchObject({ status: 400, code: 'address_not_compliant' });
      expect(sandbox().state.incomingPhoneNumbers.filter((n) => n.accountSid === sub.sid)).toEqual([]);
    });
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
