import type { Adoption, SubaccountView } from '../../../src/admin/answers';
import type { AdminPath } from '../../../src/admin/routes';
import { serviceCommand, type Command } from '../command';
import { details, table, withNextPage } from '../table';

const SUBACCOUNT_COLUMNS = [
  'sid',
  'kind',
  'friendlyName',
  'status',
  'callerId',
  'numbers',
  'apiKeySid',
  'revision',
];

/** A command on one subaccount whose answer is the subaccount and what the call did to it. */
const bySid = <P extends AdminPath>(
  name: string,
  path: P,
  summary: string,
): {
  name: string;
  path: P;
  summary: string;
  usage: string;
  render: (body: { subaccount: SubaccountView }) => string;
} => ({
  name,
  path,
  summary,
  usage: '--subaccountSid AC...',
  render: ({ subaccount, ...outcome }) => details({ ...subaccount, ...outcome }),
});

export const subaccountCommands: Command[] = [
  serviceCommand({
    name: 'create',
    path: '/admin/subaccounts/create',
    summary: 'create a subaccount with key, TwiML App, and optionally a number and Messaging Service',
    usage:
      '--friendlyName NAME [--idempotencyKey KEY] [--phoneNumberSid PN... | --areaCode 415 | --isoCountry US] [--addressSid AD...] [--messagingService true] [--allowedCountries US,CA] [--blockedNumberTypes premium_rate,unknown]',
    render: (body) =>
      `${details(body.subaccount)}\n\nidempotencyKey: ${body.idempotencyKey}${body.replayed ? ' (replayed)' : ''}`,
  }),
  serviceCommand({
    name: 'list',
    path: '/admin/subaccounts/list',
    summary: 'list subaccounts',
    usage:
      '[--status provisioning|active|suspended|closed|deleted|disconnected] [--kind subaccount|connected] [--name PART] [--pageSize 50] [--cursor C | --all]',
    render: (body) => withNextPage(table(body.subaccounts, SUBACCOUNT_COLUMNS), body),
    pages: {
      noun: 'subaccounts',
      merge: (sofar, next) => ({ ...next, subaccounts: [...sofar.subaccounts, ...next.subaccounts] }),
      count: (body) => body.subaccounts.length,
    },
  }),
  serviceCommand({
    name: 'get',
    path: '/admin/subaccounts/get',
    summary: 'registry item and live Twilio state of a subaccount',
    usage: '--subaccountSid AC...',
    render: (body) =>
      `${details(body.subaccount)}\n\n${body.live ? `live on Twilio:\n${details(body.live)}` : 'Twilio has deleted it: nothing live.'}`,
  }),
  serviceCommand({
    name: 'update',
    path: '/admin/subaccounts/update',
    summary:
      'change name, caller ID, inbound routing, recording, voicemail, retention, the countries and number types it may call, or Messaging Service',
    usage:
      '--subaccountSid AC... [--friendlyName N] [--callerId +1...] [--inboundRouting \'{"+1...":["alice"]}\'] [--recording true] [--recordingRetentionDays 90] [--voicemail true|false] [--allowedCountries US,CA] [--blockedNumberTypes premium_rate,unknown] [--messagingService true|false] [--ifRevision R]',
    render: (body) => `${details(body.subaccount)}\n\n${settling(body.settlesWithinSeconds)}`,
  }),
  serviceCommand(
    bySid('suspend', '/admin/subaccounts/suspend', 'suspend a subaccount and end its live calls'),
  ),
  serviceCommand({
    ...bySid('reactivate', '/admin/subaccounts/reactivate', 'reactivate a suspended subaccount'),
    render: ({ subaccount, settlesWithinSeconds }) =>
      `${details(subaccount)}\n\nactive again; its tokens and calls may still be refused for up to ${settlesWithinSeconds} s, until every instance of the service has read the change`,
  }),
  serviceCommand({
    name: 'close',
    path: '/admin/subaccounts/close',
    summary: 'close a subaccount for good (numbers go back to the main account unless --releaseNumbers true)',
    usage: '--subaccountSid AC... --confirm AC... [--releaseNumbers true]',
    render: (body) => details(body),
  }),
  serviceCommand({
    name: 'rotate-key',
    path: '/admin/subaccounts/rotate-key',
    summary: 'replace the API key; the old one is deleted once its tokens have expired',
    usage: '--subaccountSid AC... [--idempotencyKey K]',
    // The rotation's own fields apart from the subaccount's: its idempotency key is the one to retry
    // this rotation with, not a setting of the subaccount.
    render: ({ subaccount, idempotencyKey, replayed, ...rotation }) =>
      `${details(subaccount)}\n\nkey rotation${replayed ? ' (replayed: done by an earlier call with this key)' : ''}:\n${details(
        { ...rotation, 'rotation idempotencyKey': idempotencyKey },
      )}`,
  }),
  serviceCommand({
    name: 'check',
    path: '/admin/subaccounts/check',
    summary:
      'compare the registry with Twilio (one subaccount, or a page of all); --repair true fixes the drift',
    usage: '[--subaccountSid AC...] [--repair true] [--pageSize N] [--cursor C | --all]',
    render: (body) => {
      if (body.inStep && !('nextCursor' in body && body.nextCursor))
        return 'in step: the registry and Twilio agree';
      if (!('subaccounts' in body)) return table(body.drift, ['code', 'message', 'repaired']);
      const rows = body.subaccounts.flatMap((checked) =>
        checked.drift.map((drift) => ({ subaccountSid: checked.subaccountSid, ...drift })),
      );
      const drift =
        rows.length > 0 ? table(rows, ['subaccountSid', 'code', 'message', 'repaired']) : 'in step';
      const { unregistered } = body;
      const unknown =
        unregistered.length > 0
          ? `\n\nactive on Twilio, not managed by this service (adopt --subaccountSid AC... takes one in):\n${table(unregistered, ['subaccountSid', 'friendlyName', 'message'])}`
          : '';
      return withNextPage(`${drift}${unknown}`, body);
    },
    pages: {
      noun: 'subaccounts checked',
      merge: (sofar, next) =>
        'subaccounts' in sofar && 'subaccounts' in next
          ? {
              ...next,
              subaccounts: [...sofar.subaccounts, ...next.subaccounts],
              unregistered: [...sofar.unregistered, ...next.unregistered],
              unregisteredComplete: sofar.unregisteredComplete && next.unregisteredComplete,
              inStep: sofar.inStep && next.inStep,
            }
          : next,
      count: (body) => ('subaccounts' in body ? body.subaccounts.length : 1),
    },
  }),
  serviceCommand({
    name: 'adopt',
    path: '/admin/subaccounts/adopt',
    summary:
      'bring an existing subaccount under the service (or, without --subaccountSid, a page of unmanaged ones); --dryRun true previews',
    usage: '[--subaccountSid AC...] [--keepNumberConfig true] [--dryRun true] [--pageSize 5] [--cursor C]',
    render: (body) => {
      if (!('failed' in body)) return adoptionText(body);
      const adopted = body.subaccounts.map(adoptionText).join('\n\n') || 'nothing left to adopt on this page';
      const failed =
        body.failed.length > 0
          ? `\n\nrefused:\n${table(body.failed, ['subaccountSid', 'code', 'message'])}`
          : '';
      return withNextPage(`${adopted}${failed}`, body);
    },
  }),
];

/** When an update is in force: the registry holds it now; every instance of the service reads it in time. */
function settling(seconds: number): string {
  return `saved: in force on every instance of the service within ${seconds} s (calls and tokens may follow the previous settings until then)`;
}

/** One adoption: what was (or, in a dry run, would be) done, and where each number pointed before. */
function adoptionText(adoption: Adoption): string {
  const verb = adoption.dryRun ? 'would adopt' : adoption.alreadyManaged ? 'already managed' : 'adopted';
  const numbers = adoption.numbers.map((number) => ({
    phoneNumber: number.phoneNumber,
    before: number.before.voiceApplicationSid ?? number.before.voiceUrl ?? '(nothing)',
    action: number.action,
    pointed: number.pointed,
  }));
  const remaining =
    adoption.numbersRemaining > 0
      ? `\n${adoption.numbersRemaining} numbers not pointed yet: run adopt again`
      : '';
  return (
    [
      `${verb}: ${adoption.subaccountSid} (${adoption.friendlyName})`,
      `apiKey: ${adoption.apiKey.action} ${adoption.apiKey.sid ?? ''}`.trimEnd(),
      `twimlApp: ${adoption.twimlApp.action} ${adoption.twimlApp.sid ?? ''}`.trimEnd(),
      numbers.length > 0 ? table(numbers, ['phoneNumber', 'before', 'action', 'pointed']) : 'no numbers',
    ].join('\n') + remaining
  );
}
