import { IDENTITY_RULE, isSid, isVoiceIdentity, sidRule } from '../../../src/vocabulary';
import type { LocalCommand } from '../command';
import { localEnv } from '../service';

/** TOKEN_TICKET_SECRET and the service URL from the environment, or else the local .env of `npm start`. */
function ticketSettings(env: NodeJS.ProcessEnv = process.env): { secret: string; url: string } {
  const local = localEnv();
  const secret = env.TOKEN_TICKET_SECRET ?? local.TOKEN_TICKET_SECRET;
  if (!secret) {
    throw new Error(
      'No ticket secret: set TOKEN_TICKET_SECRET (or run `npm start` once to write a local .env).',
    );
  }
  const url = env.SERVICE_URL ?? local.PUBLIC_BASE_URL ?? 'http://localhost:3000';
  return { secret, url: url.replace(/\/$/, '') };
}

function text(parameters: Record<string, unknown>, name: string): string | undefined {
  const value = parameters[name];
  return typeof value === 'string' && value ? value : undefined;
}

/**
 * How long a test ticket lasts unless `--ttl` says otherwise: an hour, long enough for a person to open
 * the softphone link it prints and sign in (and for the page to renew its token with it). A back-end
 * signing in a user mints shorter ones, at the moment of use. The link carries the ticket in its
 * fragment, which browsers never send to a server, and the page takes it out of the address bar and
 * history once read (src/pages/softphone/ticket-source.ts).
 */
const DEFAULT_TICKET_TTL_S = 3600;

/**
 * `ticket`: a ticket as the company's back-end mints it (docs/tickets.md), to try /token and the
 * softphone without a back-end. Made here with TOKEN_TICKET_SECRET; the service is not called.
 */
export const ticketCommands: LocalCommand[] = [
  {
    name: 'ticket',
    summary: 'a test ticket for /token and the softphone page (made locally with TOKEN_TICKET_SECRET)',
    usage: `--identity alice_01 --subaccountSid AC... [--ttl ${DEFAULT_TICKET_TTL_S}]`,
    parameters: ['identity', 'subaccountSid', 'ttl'],
    run: (parameters) => {
      const identity = text(parameters, 'identity');
      const accountSid = text(parameters, 'subaccountSid');
      if (!identity || !accountSid) throw new Error('ticket needs --identity and --subaccountSid.');
      // The service would refuse the ticket at /token: say so now, in the same words.
      if (!isVoiceIdentity(identity)) throw new Error(`--identity must be ${IDENTITY_RULE}.`);
      if (!isSid('AC', accountSid)) throw new Error(`--subaccountSid must be ${sidRule('AC')}.`);
      const ttlSeconds = Number(text(parameters, 'ttl') ?? DEFAULT_TICKET_TTL_S);
      if (!Number.isInteger(ttlSeconds) || ttlSeconds <= 0 || ttlSeconds > 86_400) {
        throw new Error('--ttl must be a number of seconds between 1 and 86400.');
      }
      const { secret, url } = ticketSettings();
      // Loaded here: the JWT library is needed by this command alone, not by every CLI call's start-up.
      /* eslint-disable @typescript-eslint/no-require-imports */
      const {
        mintTicket,
      }: typeof import('../../../src/tokens/mint-ticket') = require('../../../src/tokens/mint-ticket');
      /* eslint-enable @typescript-eslint/no-require-imports */
      const ticket = mintTicket(secret, { identity, accountSid, ttlSeconds });
      return {
        ticket,
        identity,
        subaccountSid: accountSid,
        expiresAt: new Date(Date.now() + ttlSeconds * 1000).toISOString(),
        softphone: `${url}/softphone.html#ticket=${ticket}`,
      };
    },
    render: (body) =>
      [
        `ticket for ${String(body.identity)} of ${String(body.subaccountSid)}, valid until ${String(body.expiresAt)}:`,
        String(body.ticket),
        '',
        `softphone: ${String(body.softphone)}`,
      ].join('\n'),
  },
];
