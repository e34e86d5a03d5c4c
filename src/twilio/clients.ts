import type { Twilio } from 'twilio';
import type { ServiceConfig } from '../config/config';
import { createRequestClient } from './request-client';

/**
 * The three ways the service talks to Twilio. Main-account credentials reach the main account and the
 * v2010 resources of its subaccounts; the other resources of a subaccount take its own credentials
 * (https://www.twilio.com/docs/iam/api/subaccounts, "Authentication"):
 * - `main()`: main-account credentials on main-account resources (Sync registry, numbers of the main account);
 * - `actingOn(sid)`: main-account credentials on a subaccount's v2010 resources (Keys, Applications, numbers, calls, usage);
 * - `asSubaccount(sid, authToken)`: the subaccount's own credentials, for subdomain APIs (Messaging, ...)
 *   that act on the account whose credentials are used.
 */
export interface TwilioClients {
  main(): Twilio;
  actingOn(subaccountSid: string): Twilio;
  asSubaccount(subaccountSid: string, authToken: string): Twilio;
}

const factories = new Map<string, TwilioClients>();

/** One factory per configuration, so HTTP agents (keep-alive sockets) are reused across warm requests. */
export function twilioClients(config: ServiceConfig): TwilioClients {
  const key = `${config.accountSid}|${config.authToken}|${config.twilioApiBaseUrl ?? ''}`;
  let clients = factories.get(key);
  if (!clients) {
    clients = createTwilioClients(config);
    factories.set(key, clients);
  }
  return clients;
}

function createTwilioClients(config: ServiceConfig): TwilioClients {
  // Loaded on first use, like the request client: only cold paths and admin operations pay for it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Twilio: TwilioClass }: typeof import('twilio') = require('twilio');
  const httpClient = createRequestClient(config.twilioApiBaseUrl);
  const build = (username: string, password: string, accountSid: string) =>
    new TwilioClass(username, password, { accountSid, httpClient, lazyLoading: true });

  let main: Twilio | undefined;
  return {
    main: () => (main ??= build(config.accountSid, config.authToken, config.accountSid)),
    actingOn: (subaccountSid) => build(config.accountSid, config.authToken, subaccountSid),
    asSubaccount: (subaccountSid, authToken) => build(subaccountSid, authToken, subaccountSid),
  };
}
