/**
 * Adopt in-process against the sandbox: subaccounts made directly on Twilio with the main credentials
 * (as an agency made them by hand in the Console) brought under the service, one or a page at a time.
 */
import jwt from 'jsonwebtoken';
import { findVerb, verifyVoiceToken } from '../../../sandbox';
import type { adoptOneAnswer, adoptPageAnswer } from '../../../src/admin/answers';
import { adminDeps } from '../../../src/admin/deps';
import { adoptPage } from '../../../src/admin/subaccounts/adoption/adopt-page';
import { newSubaccountRecord } from '../../../src/admin/subaccounts/creation/creation-record';
import { loadConfig } from '../../../src/config/config';
import { handler as adopt } from '../../../src/functions/admin/subaccounts/adopt';
import { handler as check } from '../../../src/functions/admin/subaccounts/check';
import { handler as create } from '../../../src/functions/admin/subaccounts/create';
import { handler as list } from '../../../src/functions/admin/subaccounts/list';
import { handler as update } from '../../../src/functions/admin/subaccounts/update';
import { handler as token } from '../../../src/functions/token';
import { handler as voice } from '../../../src/functions/voice';
import type { FunctionHandler } from '../../../src/http/json-function';
import { clearTenantCache } from '../../../src/registry/tenant-cache';
import { mintTicket } from '../../../src/tokens/mint-ticket';
import { invokeFunction } from '../../../testkit/function-runtime';
import { defined, sandboxClient, useSandbox } from '../../helpers/sandbox';
import { adminKeyOf, serviceEnv } from '../../../testkit/service-env';
import { callParams, signedWebhookCall } from '../../../testkit/signed-webhook';
import { clientIdentities, twimlOf } from '../../../testkit/twiml';
import type { z } from 'zod';

type Adoption = z.output<typeof adoptOneAnswer>;
type AdoptionPage = z.output<typeof adoptPageAnswer>;

const OLD_VOICE_URL = 'https://crm.example.com/old-voice-hook';

describe('adopting subaccounts made by hand', () => {
  const sandbox = useSandbox();
  let env: Record<string, string>;
  let mainSid: string;

  const call = (handler: FunctionHandler, body: Record<string, unknown>) =>
    invokeFunction(handler, { env, body, headers: { authorization: `Bearer ${adminKeyOf(env)}` } });
  const adoptOne = async (body: Record<string, unknown>) => {
    const answer = await call(adopt, body);
    expect(answer.statusCode).toBe(200);
    return answer.json<Adoption>();
  };

  /** A subaccount made on "Twilio" with the main credentials, holding a number with its own Voice URL. */
  async function handMade(friendlyName: string, numbers = 1) {
    const main = sandboxClient(sandbox(), mainSid, env.AUTH_TOKEN as string);
    const account = await main.api.v2010.accounts.create({ friendlyName });
    const held = Array.from({ length: numbers }, () =>
      sandbox().addPhoneNumber(account.sid, { voiceUrl: OLD_VOICE_URL }),
    );
    return { sid: account.sid, authToken: account.authToken, numbers: held };
  }

  /** Everything adopt could change on Twilio and in the registry, to compare before and after. */
  const twilioState = () => {
    const { accounts, keys, applications, incomingPhoneNumbers, syncMapItems } = sandbox().state;
    return JSON.stringify({ accounts, keys, applications, incomingPhoneNumbers, syncMapItems });
  };

  beforeEach(() => {
    const main = sandbox().seed();
    mainSid = main.accountSid;
    env = serviceEnv({
      ACCOUNT_SID: main.accountSid,
      AUTH_TOKEN: main.authToken,
      TWILIO_API_BASE_URL: sandbox().baseUrl,
    });
    clearTenantCache();
  });

  it('a dry run answers what would change and changes nothing', async () => {
    const acme = await handMade('Acme Dental');
    const before = twilioState();

    const preview = await adoptOne({ subaccountSid: acme.sid, dryRun: true });

    expect(twilioState()).toEqual(before);
    expect(preview).toMatchObject({
      subaccountSid: acme.sid,
      friendlyName: 'Acme Dental',
      dryRun: true,
      alreadyManaged: false,
      apiKey: { action: 'create', sid: null },
      twimlApp: { action: 'create', sid: null },
      numbersRemaining: 0,
      subaccount: null,
    });
    expect(preview.numbers).toEqual([
      {
        sid: acme.numbers[0]?.sid,
        phoneNumber: acme.numbers[0]?.phoneNumber,
        before: { voiceApplicationSid: null, voiceUrl: OLD_VOICE_URL },
        action: 'point',
        pointed: false,
      },
    ]);
  });

  it('adopts in one call: listed, tokens issued, its number rings its browsers through /voice, and the answer says what the number pointed at', async () => {
    const acme = await handMade('Acme Dental');
    const number = defined(acme.numbers[0]);

    const adopted = await adoptOne({ subaccountSid: acme.sid });

    expect(adopted.numbers).toEqual([
      {
        sid: number.sid,
        phoneNumber: number.phoneNumber,
        before: { voiceApplicationSid: null, voiceUrl: OLD_VOICE_URL },
        action: 'point',
        pointed: true,
      },
    ]);
    expect(adopted).toMatchObject({
      alreadyManaged: false,
      apiKey: { action: 'create' },
      twimlApp: { action: 'create' },
      subaccount: {
        sid: acme.sid,
        friendlyName: 'Acme Dental',
        status: 'active',
        numbers: [{ sid: number.sid, phoneNumber: number.phoneNumber }],
        callerId: number.phoneNumber,
        inboundRouting: {},
        recording: false,
        allowedCountries: ['US'],
        blockedNumberTypes: ['premium_rate', 'shared_cost', 'uan', 'personal_number', 'pager', 'unknown'],
        provisioning: null,
      },
    });
    const app = defined(sandbox().state.applications.find((a) => a.sid === adopted.twimlApp.sid));
    expect(app).toMatchObject({ accountSid: acme.sid, voiceUrl: `${env.PUBLIC_BASE_URL}/voice` });
    expect(sandbox().state.incomingPhoneNumbers.find((n) => n.sid === number.sid)?.voiceApplicationSid).toBe(
      app.sid,
    );

    const listed = (await call(list, {})).json<{ subaccounts: { sid: string; status: string }[] }>();
    expect(listed.subaccounts).toEqual([expect.objectContaining({ sid: acme.sid, status: 'active' })]);

    const ticket = mintTicket(env.TOKEN_TICKET_SECRET ?? '', { identity: 'alice', accountSid: acme.sid });
    const issued = await invokeFunction(token, {
      env,
      path: '/token',
      headers: { authorization: `Bearer ${ticket}` },
    });
    expect(issued.statusCode).toBe(200);
    const accessToken = issued.json<{ token: string }>().token;
    expect(jwt.decode(accessToken)).toMatchObject({ iss: adopted.apiKey.sid, sub: acme.sid });
    expect(verifyVoiceToken(sandbox().state, accessToken)).toMatchObject({
      accountSid: acme.sid,
      identity: 'alice',
      applicationSid: app.sid,
    });

    const routed = await call(update, {
      subaccountSid: acme.sid,
      inboundRouting: { [number.phoneNumber]: ['alice'] },
    });
    expect(routed.statusCode).toBe(200);
    clearTenantCache();
    // Twilio posts the call to the number's App's Voice URL, signed with the subaccount's auth token.
    const inbound = await invokeFunction(
      voice,
      signedWebhookCall({
        env,
        path: new URL(app.voiceUrl ?? '').pathname,
        params: callParams({ accountSid: acme.sid, from: '+14155550100', to: number.phoneNumber }),
        authToken: acme.authToken,
      }),
    );
    const dial = findVerb(twimlOf(inbound.text), 'Dial');
    expect(clientIdentities(dial)).toEqual(['alice']);
  });

  it('is idempotent: a second call changes nothing and answers the same registration', async () => {
    const acme = await handMade('Acme Dental', 2);
    const first = await adoptOne({ subaccountSid: acme.sid });
    const after = twilioState();

    const second = await adoptOne({ subaccountSid: acme.sid });

    expect(twilioState()).toEqual(after);
    expect(second).toMatchObject({
      alreadyManaged: true,
      apiKey: { action: 'none', sid: first.apiKey.sid },
      twimlApp: { action: 'none', sid: first.twimlApp.sid },
      numbersRemaining: 0,
      subaccount: first.subaccount,
    });
    expect(second.numbers.map((n) => [n.action, n.before.voiceApplicationSid])).toEqual([
      ['none', first.twimlApp.sid],
      ['none', first.twimlApp.sid],
    ]);
  });

  it('with keepNumberConfig registers the subaccount and leaves its numbers ringing where they did', async () => {
    const acme = await handMade('Acme Dental');
    const number = defined(acme.numbers[0]);
    const adopted = await adoptOne({ subaccountSid: acme.sid, keepNumberConfig: 'true' });

    expect(adopted.numbers).toEqual([
      expect.objectContaining({ sid: number.sid, action: 'keep', pointed: false }),
    ]);
    expect(adopted.subaccount).toMatchObject({ status: 'active', callerId: number.phoneNumber });
    expect(sandbox().state.incomingPhoneNumbers.find((n) => n.sid === number.sid)).toMatchObject({
      voiceUrl: OLD_VOICE_URL,
      voiceApplicationSid: null,
    });
  });

  it('reuses a TwiML App of this service already on /voice instead of making a second one', async () => {
    const acme = await handMade('Acme Dental');
    const own = sandboxClient(sandbox(), acme.sid, acme.authToken);
    const existing = await own.applications.create({
      friendlyName: 'browser-calling',
      voiceUrl: `${env.PUBLIC_BASE_URL}/voice`,
      voiceMethod: 'POST',
    });
    const adopted = await adoptOne({ subaccountSid: acme.sid });
    expect(adopted.twimlApp).toEqual({ action: 'reuse', sid: existing.sid });
    expect(sandbox().state.applications.filter((a) => a.accountSid === acme.sid)).toHaveLength(1);
    // Made before call ends were reported: the reused App now reports them too.
    expect(sandbox().state.applications.find((a) => a.sid === existing.sid)?.statusCallback).toBe(
      `${env.PUBLIC_BASE_URL}/voice/call-status`,
    );
  });

  describe('a call that fails part-way is finished by calling it again', () => {
    const steps: [string, RegExp][] = [
      ['the API key', /\/Keys\.json$/],
      ['the TwiML App', /\/Applications\.json$/],
      ['the registry item', /\/Maps\/[^/]+\/Items$/],
      ['pointing the number', /\/IncomingPhoneNumbers\/PN[0-9a-f]{32}\.json$/],
    ];
    const cases = steps.flatMap(([step, path]) =>
      (['500', 'timeout-after'] as const).map((kind) => [step, kind, path] as const),
    );

    it.each(cases)(
      '%s fails (%s): the retry converges to one key, one App, the number on it',
      async (step, kind, path) => {
        const acme = await handMade('Acme Dental');
        const number = defined(acme.numbers[0]);
        // A lost answer is a dropped connection, not the client's whole timeout: the write is applied
        // and the call fails either way, without waiting out TWILIO_REQUEST_TIMEOUT_MS.
        sandbox().failRequest(1, kind, { holdMs: 20, match: { method: 'POST', path } });

        const failed = await call(adopt, { subaccountSid: acme.sid });
        // A registry write whose answer was lost is read back: that call already succeeds.
        if (kind === 'timeout-after' && step === 'the registry item') expect(failed.statusCode).toBe(200);
        else expect(failed.statusCode).toBeGreaterThanOrEqual(500);
        const retried = await adoptOne({ subaccountSid: acme.sid });

        const state = sandbox().state;
        const keys = state.keys.filter((key) => key.accountSid === acme.sid);
        const apps = state.applications.filter((app) => app.accountSid === acme.sid);
        expect(keys.map((key) => key.sid)).toEqual([retried.subaccount?.apiKeySid]);
        expect(apps.map((app) => app.sid)).toEqual([retried.subaccount?.twimlAppSid]);
        expect(state.incomingPhoneNumbers.find((n) => n.sid === number.sid)?.voiceApplicationSid).toBe(
          apps[0]?.sid,
        );
        expect(retried.subaccount).toMatchObject({ status: 'active', callerId: number.phoneNumber });
        // Until the number was pointed, each answer still says where it rang before.
        const last = defined(retried.numbers[0]);
        if (last.action === 'point') expect(last.before.voiceUrl).toBe(OLD_VOICE_URL);
      },
    );

    it('two adoptions at once make one registration: the other is refused 409 subaccount_busy or finds it managed, and no second key or App is left', async () => {
      const acme = await handMade('Acme Dental');
      sandbox().setLatency(20);
      const answers = await Promise.all([
        call(adopt, { subaccountSid: acme.sid }),
        call(adopt, { subaccountSid: acme.sid }),
      ]);
      sandbox().setLatency(0);
      const adopted = answers.filter((answer) => answer.statusCode === 200).map((a) => a.json<Adoption>());
      const refused = answers.filter((answer) => answer.statusCode !== 200);
      for (const answer of refused) {
        expect(answer.statusCode).toBe(409);
        expect(answer.json<{ error: { code: string } }>().error.code).toBe('subaccount_busy');
      }
      expect(adopted.filter((one) => !one.alreadyManaged)).toHaveLength(1);
      const first = defined(adopted.find((one) => !one.alreadyManaged));
      const keys = sandbox().state.keys.filter((key) => key.accountSid === acme.sid);
      expect(keys.map((key) => key.sid)).toEqual([first.subaccount?.apiKeySid]);
      const apps = sandbox().state.applications.filter((app) => app.accountSid === acme.sid);
      expect(apps.map((app) => app.sid)).toEqual([first.subaccount?.twimlAppSid]);
      const number = defined(acme.numbers[0]);
      expect(
        sandbox().state.incomingPhoneNumbers.find((n) => n.sid === number.sid)?.voiceApplicationSid,
      ).toBe(first.subaccount?.twimlAppSid);
    });

    it('a call that fails after making its key is resumed by the next: the recorded key is used, no second one made', async () => {
      const acme = await handMade('Acme Dental');
      // The API key is made; the App's answer never comes: the call fails with its record's progress kept.
      sandbox().failRequest(1, '500', { match: { method: 'POST', path: /\/Applications\.json$/ } });
      expect((await call(adopt, { subaccountSid: acme.sid })).statusCode).toBeGreaterThanOrEqual(500);
      const made = sandbox().state.keys.filter((key) => key.accountSid === acme.sid);
      expect(made).toHaveLength(1);
      const before = sandbox().log.length;

      const retried = await adoptOne({ subaccountSid: acme.sid });

      expect(retried.subaccount?.apiKeySid).toBe(made[0]?.sid);
      const keyRequests = sandbox()
        .log.slice(before)
        .filter((request) => /\/Keys(\.json)?$/.test(request.path) && request.method === 'POST');
      expect(keyRequests).toEqual([]);
    });
  });

  describe('on the operation record, like every lifecycle change', () => {
    const deps = () => adminDeps(loadConfig(env));
    /** Another change (an update, say) holding the subaccount's operation record while it works. */
    const holdSubaccount = (sid: string) =>
      deps().operations.take(
        { subaccountSid: sid },
        { operation: 'update', key: 'another-change', payloadHash: 'a'.repeat(64) },
        undefined,
      );

    it('is refused 409 subaccount_busy while another change holds the subaccount, changing nothing, and adopts once it is done', async () => {
      const acme = await handMade('Acme Dental');
      const held = await holdSubaccount(acme.sid);
      const before = twilioState();

      const refused = await call(adopt, { subaccountSid: acme.sid });

      expect(refused.statusCode).toBe(409);
      expect(refused.json<{ error: { code: string; details?: unknown } }>().error).toMatchObject({
        code: 'subaccount_busy',
      });
      expect(refused.json<{ error: { message: string } }>().error.message).toContain('update is under way');
      expect(twilioState()).toEqual(before);

      await held.giveUp(false);
      expect((await adoptOne({ subaccountSid: acme.sid })).subaccount?.status).toBe('active');
    });

    it('holds the subaccount while it runs: an update meanwhile is refused 409 subaccount_busy', async () => {
      const acme = await handMade('Acme Dental');
      const number = defined(acme.numbers[0]);
      // Twilio holds the request that points the number: the adopt is under way until it gives up.
      sandbox().failRequest(1, 'timeout-before', {
        holdMs: 1000,
        match: { method: 'POST', path: new RegExp(`/IncomingPhoneNumbers/${number.sid}\\.json$`) },
      });
      const adopting = call(adopt, { subaccountSid: acme.sid });
      while (!sandbox().log.some((request) => request.fault === 'timeout-before'))
        await new Promise((resolve) => setImmediate(resolve));

      const updated = await call(update, { subaccountSid: acme.sid, recording: true });

      expect(updated.statusCode).toBe(409);
      expect(updated.json<{ error: { message: string } }>().error).toMatchObject({
        code: 'subaccount_busy',
        operation: 'adopt',
      });
      expect((await adopting).statusCode).toBeGreaterThanOrEqual(500);
      expect((await adoptOne({ subaccountSid: acme.sid })).numbers[0]).toMatchObject({ pointed: true });
      expect((await call(update, { subaccountSid: acme.sid, recording: true })).statusCode).toBe(200);
    });

    it('a retry with the same idempotencyKey is answered as the first call was; the key with other options is refused', async () => {
      const acme = await handMade('Acme Dental', 2);
      const first = await adoptOne({ subaccountSid: acme.sid, idempotencyKey: 'adopt-acme-0001' });
      const after = twilioState();

      const again = await adoptOne({ subaccountSid: acme.sid, idempotencyKey: 'adopt-acme-0001' });

      expect(again).toMatchObject({
        replayed: true,
        alreadyManaged: false,
        apiKey: first.apiKey,
        twimlApp: first.twimlApp,
        numbersRemaining: 0,
      });
      expect(first.replayed).toBe(false);
      expect(again.subaccount).toEqual(first.subaccount);
      expect(sandbox().state.keys).toEqual(JSON.parse(after).keys);
      expect(sandbox().state.applications).toEqual(JSON.parse(after).applications);

      const reused = await call(adopt, {
        subaccountSid: acme.sid,
        idempotencyKey: 'adopt-acme-0001',
        keepNumberConfig: true,
      });
      expect(reused.statusCode).toBe(409);
      expect(reused.json<{ error: { code: string } }>().error.code).toBe('idempotency_key_reused');
    });

    it('refuses an idempotencyKey without subaccountSid (a page adopts each under its own key)', async () => {
      await handMade('Acme Dental');
      const before = twilioState();
      const refused = await call(adopt, { idempotencyKey: 'adopt-page-0001' });
      expect(refused.statusCode).toBe(400);
      expect(refused.json<{ error: { code: string; parameter?: string } }>().error.code).toBe(
        'invalid_parameter',
      );
      expect(twilioState()).toEqual(before);
    });
  });

  describe('refuses, changing nothing', () => {
    const refused = async (body: Record<string, unknown>, status: number, code: string) => {
      const before = twilioState();
      const answer = await call(adopt, body);
      expect(answer.statusCode).toBe(status);
      expect(answer.json<{ error: { code: string; message: string } }>().error).toMatchObject({ code });
      expect(twilioState()).toEqual(before);
      return answer.json<{ error: { message: string } }>().error.message;
    };

    it('a subaccount of another main account', async () => {
      const other = sandbox().createAccount({ friendlyName: 'Someone else' });
      const theirs = sandbox().createAccount({ ownerAccountSid: other.sid, friendlyName: 'Theirs' });
      const message = await refused({ subaccountSid: theirs.sid }, 404, 'not_a_subaccount');
      expect(message).toBe(`${theirs.sid} is not a subaccount of the main account ${mainSid}.`);
    });

    it('a closed subaccount, a suspended one, and the main account itself', async () => {
      const closed = await handMade('Closed');
      const suspended = await handMade('Suspended');
      const main = sandboxClient(sandbox(), mainSid, env.AUTH_TOKEN as string);
      await main.api.v2010.accounts(closed.sid).update({ status: 'closed' });
      await main.api.v2010.accounts(suspended.sid).update({ status: 'suspended' });
      expect(await refused({ subaccountSid: closed.sid }, 409, 'subaccount_closed')).toContain('closed');
      expect(await refused({ subaccountSid: suspended.sid }, 409, 'subaccount_not_active')).toContain(
        'reactivate it',
      );
      await refused({ subaccountSid: mainSid }, 400, 'invalid_parameter');
    });
  });

  describe('without subaccountSid, a page of those not yet managed', () => {
    /** A time budget that runs out after `checks` questions. */
    const budgetOf = (checks: number) => {
      let left = checks;
      return { hasTime: () => left-- > 0 };
    };
    const deps = () => adminDeps(loadConfig(env));
    const page = (cursor?: string) => ({ keepNumberConfig: false, dryRun: false, pageSize: 5, cursor });

    it('stops starting adoptions when the time budget is spent, and nextCursor resumes after the last one started', async () => {
      const made = await Promise.all(['A', 'B', 'C', 'D'].map((name) => handMade(`Hand ${name}`)));
      const cut = await adoptPage(deps(), page(), budgetOf(2));
      expect(cut.subaccounts.length).toBeGreaterThan(0);
      expect(cut.subaccounts.length).toBeLessThan(made.length);
      expect(cut.nextCursor).toEqual(expect.any(String));

      const rest = await adoptPage(deps(), page(cut.nextCursor));
      expect(rest.nextCursor).toBeUndefined();
      const adopted = [...cut.subaccounts, ...rest.subaccounts].map((one) => one.subaccountSid);
      expect(adopted).toEqual(made.map((account) => account.sid).sort());
    });

    it('examines at most 100 subaccounts a call, reading the shared directory by pages (Sync allows 20 reads a second per Map), then goes on with nextCursor', async () => {
      const accounts = Array.from({ length: 101 }, (_, index) =>
        sandbox().createAccount({ ownerAccountSid: mainSid, friendlyName: `Managed ${index}` }),
      );
      const registry = deps().registry;
      // Ten writes at a time: a hundred at once outrun the client's timeout on a loaded machine.
      for (let start = 0; start < accounts.length; start += 10)
        await Promise.all(
          accounts
            .slice(start, start + 10)
            .map((account) =>
              registry.create(
                account.sid,
                newSubaccountRecord(account.sid, account.friendlyName, new Date(), { status: 'active' }),
              ),
            ),
        );
      const before = sandbox().log.length;
      const first = await adoptPage(deps(), page());
      const registryReads = sandbox()
        .log.slice(before)
        .filter((request) => request.method === 'GET' && /\/Maps\/[^/]+\/Items/.test(request.path));
      // One directory page a batch of `pageSize` (5): twenty requests for the hundred examined.
      expect(registryReads).toHaveLength(20);
      expect(first.subaccounts).toEqual([]);
      expect(first.nextCursor).toEqual(expect.any(String));
      const last = await adoptPage(deps(), page(first.nextCursor));
      expect(last).toMatchObject({ subaccounts: [], failed: [] });
      expect(last.nextCursor).toBeUndefined();
    });

    it('answers 503 out_of_time when not one subaccount could be examined', async () => {
      await handMade('Hand A');
      await expect(adoptPage(deps(), page(), budgetOf(0))).rejects.toMatchObject({
        status: 503,
        code: 'out_of_time',
      });
    });

    it('answers a subaccount adopt fails on in `failed`, and the sweep moves on', async () => {
      const failing = await handMade('Hand A');
      await handMade('Hand B');
      sandbox().failRequest(1, '500', {
        match: { method: 'GET', path: new RegExp(`/Accounts/${failing.sid}/IncomingPhoneNumbers\\.json`) },
      });
      const answer = await adoptPage(deps(), page());
      expect(answer.failed).toEqual([
        expect.objectContaining({ subaccountSid: failing.sid, code: 'twilio_unavailable' }),
      ]);
      expect(answer.subaccounts).toHaveLength(1);
      expect(answer.nextCursor).toBeUndefined();
    });

    it('a dry-run sweep lists every unmanaged subaccount once and changes nothing; a sweep adopts them all', async () => {
      const made = await Promise.all(['A', 'B', 'C', 'D', 'E'].map((name) => handMade(`Hand ${name}`)));
      const managed = await call(create, { friendlyName: 'Made here', idempotencyKey: 'made-here-1' });
      expect(managed.statusCode).toBe(201);
      const unmanaged = made.map((account) => account.sid).sort();

      const sweep = async (dryRun: boolean) => {
        const pages: AdoptionPage[] = [];
        let cursor: string | undefined;
        do {
          const answer = await call(adopt, { pageSize: 2, dryRun, ...(cursor ? { cursor } : {}) });
          expect(answer.statusCode).toBe(200);
          const page = answer.json<AdoptionPage>();
          pages.push(page);
          cursor = page.nextCursor;
        } while (cursor);
        return pages;
      };

      const before = twilioState();
      const preview = await sweep(true);
      expect(twilioState()).toEqual(before);
      expect(preview.flatMap((page) => page.subaccounts.map((s) => s.subaccountSid))).toEqual(unmanaged);
      expect(preview.every((page) => page.failed.length === 0 && page.listComplete)).toBe(true);

      const adopted = await sweep(false);
      expect(adopted.map((page) => page.subaccounts.length)).toEqual([2, 2, 1]);
      expect(adopted.flatMap((page) => page.subaccounts.map((s) => s.subaccount?.status))).toEqual(
        unmanaged.map(() => 'active'),
      );

      // Nothing left to adopt, and check finds nothing unregistered.
      expect((await sweep(false)).flatMap((page) => page.subaccounts)).toEqual([]);
      const checked = await call(check, {});
      expect(checked.json<{ unregistered: unknown[] }>().unregistered).toEqual([]);
      expect((await call(list, {})).json<{ subaccounts: unknown[] }>().subaccounts.length).toBe(
        unmanaged.length + 1,
      );
    });
  });
});
