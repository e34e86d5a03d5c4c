import type { Command } from '../command';
import { details, table, withNextPage } from '../table';

const SUBACCOUNT_COLUMNS = ['sid', 'friendlyName', 'status', 'callerId', 'numbers', 'apiKeySid', 'revision'];

const subaccount = (body: Record<string, unknown>) => details(body.subaccount as Record<string, unknown>);

const bySid = (name: string, summary: string): Command => ({
  name,
  path: `subaccounts/${name}`,
  summary,
  usage: '--subaccountSid AC...',
  render: (body) => details({ ...(body.subaccount as object), ...withoutSubaccount(body) }),
});

function withoutSubaccount(body: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(body).filter(([field]) => field !== 'subaccount'));
}

export const subaccountCommands: Command[] = [
  {
    name: 'create',
    path: 'subaccounts/create',
    summary: 'create a subaccount with key, TwiML App, and optionally a number and Messaging Service',
    usage:
      '--friendlyName NAME [--idempotencyKey KEY] [--phoneNumberSid PN... | --areaCode 415 | --isoCountry US] [--messagingService true]',
    render: (body) =>
      `${subaccount(body)}\n\nidempotencyKey: ${String(body.idempotencyKey)}${body.replayed ? ' (replayed)' : ''}`,
  },
  {
    name: 'list',
    path: 'subaccounts/list',
    summary: 'list subaccounts',
    usage: '[--status active|suspended|closed] [--name PART] [--pageSize 50] [--cursor C]',
    render: (body) =>
      withNextPage(table(body.subaccounts as Record<string, unknown>[], SUBACCOUNT_COLUMNS), body),
  },
  {
    name: 'get',
    path: 'subaccounts/get',
    summary: 'registry item and live Twilio state of a subaccount',
    usage: '--subaccountSid AC...',
    render: (body) =>
      `${subaccount(body)}\n\n${body.live ? `live on Twilio:\n${details(body.live as Record<string, unknown>)}` : 'Twilio has deleted it: nothing live.'}`,
  },
  {
    name: 'update',
    path: 'subaccounts/update',
    summary: 'change name, caller ID, inbound routing, recording or dialling prefixes',
    usage:
      '--subaccountSid AC... [--friendlyName N] [--callerId +1...] [--inboundRouting \'{"+1...":["alice"]}\'] [--recording true] [--allowedPrefixes +1,+44] [--ifRevision R]',
    render: subaccount,
  },
  bySid('suspend', 'suspend a subaccount and end its live calls'),
  bySid('reactivate', 'reactivate a suspended subaccount'),
  {
    name: 'close',
    path: 'subaccounts/close',
    summary: 'close a subaccount for good (numbers go back to the main account unless --releaseNumbers true)',
    usage: '--subaccountSid AC... --confirm AC... [--releaseNumbers true]',
    render: (body) => details(body),
  },
  {
    ...bySid('rotate-key', 'replace the API key; the old one is deleted once its tokens have expired'),
    usage: '--subaccountSid AC... [--idempotencyKey K]',
  },
  {
    name: 'check',
    path: 'subaccounts/check',
    summary:
      'compare the registry with Twilio (one subaccount, or a page of all); --repair true fixes the drift',
    usage: '[--subaccountSid AC...] [--repair true] [--pageSize N] [--cursor C]',
    render: (body) => {
      if (body.inStep && !body.nextCursor) return 'in step: the registry and Twilio agree';
      if (!Array.isArray(body.subaccounts))
        return table(body.drift as Record<string, unknown>[], ['code', 'message', 'repaired']);
      const rows = (
        body.subaccounts as { subaccountSid: string; drift: Record<string, unknown>[] }[]
      ).flatMap((checked) =>
        checked.drift.map((drift) => ({ subaccountSid: checked.subaccountSid, ...drift })),
      );
      const drift =
        rows.length > 0 ? table(rows, ['subaccountSid', 'code', 'message', 'repaired']) : 'in step';
      return withNextPage(drift, body);
    },
  },
];
