import type { Twilio } from 'twilio';
import type { ServiceConfig } from '../config/config';
import { createRequestClient } from './request-client';

/**
 * The three ways the service talks to Twilio. Main-account credentials reach the main account and the
 * v2010 resources of its subaccounts; the other resources of a subaccount take its own credentials
 * (https://www.twilio.com/docs/iam/api/subaccounts, "Authentication"). A connected account (a
 * customer's own, under no account of ours) is reached only with its own SID and auth token: Twilio
 * answers the main credentials there with 401, error 20003 (https://www.twilio.com/docs/api/errors/20003).
 * - `main()`: main-account credentials on main-account resources (Sync registry, numbers of the main account);
 * - `actingOn(sid)`: a tenant's v2010 resources (Keys, Applications, numbers, calls, usage): with the
 *   main-account credentials for a subaccount, with its own for a connected account whose credentials
 *   the registry has shown (`rememberOwnCredentials`);
 * - `asSubaccount(sid, authToken)`: an account's own credentials, for subdomain APIs (Messaging, ...)
 *   that act on the account whose credentials are used, and for an account being connected.
 */
export interface TwilioClients {
  main(): Twilio;
  actingOn(accountSid: string): Twilio;
  asSubaccount(accountSid: string, authToken: string): Twilio;
  /**
   * A connected account's own auth token, as its registry item holds it: from now on `actingOn` uses
   * it. Told by the registry on every read of such an item (registry/registry.ts), so an admin
   * operation, which reads the item before acting, acts with the token in force.
   */
  rememberOwnCredentials(accountSid: string, authToken: string): void;
  forgetOwnCredentials(accountSid: string): void;
}

const factories = new Map<string, TwilioClients>();

/** One factory per configuration, so HTTP agents (keep-alive sockets) are reused across warm requests. */
export function twilioClients(config: ServiceConfig): TwilioClients {
  const key = `${config.accountSid}|${config.authToken}|${config.twilioApiBaseUrl ?? ''}|${config.twilioRequestTimeoutMs}`;
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
  const httpClient = createRequestClient(config.twilioApiBaseUrl, config.twilioRequestTimeoutMs);
  const build = (username: string, password: string, accountSid: string) =>
    new TwilioClass(username, password, { accountSid, httpClient, lazyLoading: true });

  let main: Twilio | undefined;
  // Connected accounts' tokens: one per tenant the registry has shown this instance, so bounded by
  // the registry's size (1,000 subaccounts by default, plus connected accounts).
  const ownTokens = new Map<string, string>();
  return {
    main: () => (main ??= build(config.accountSid, config.authToken, config.accountSid)),
    actingOn: (accountSid) => {
      const own = ownTokens.get(accountSid);
      return own === undefined
        ? build(config.accountSid, config.authToken, accountSid)
        : build(accountSid, own, accountSid);
    },
    asSubaccount: (accountSid, authToken) => build(accountSid, authToken, accountSid),
    rememberOwnCredentials: (accountSid, authToken) => void ownTokens.set(accountSid, authToken),
    forgetOwnCredentials: (accountSid) => void ownTokens.delete(accountSid),
  };
}
