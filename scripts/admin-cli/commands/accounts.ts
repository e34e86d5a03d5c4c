import { serviceCommand, type Command } from '../command';
import { details } from '../table';

/**
 * Customers' own Twilio accounts (docs/admin.md, "Subaccounts or connected accounts"). The auth token
 * is sent to the service only; it is never printed back.
 */
export const accountCommands: Command[] = [
  serviceCommand({
    name: 'connect',
    path: '/admin/accounts/connect',
    summary:
      "serve a customer's own Twilio account with its own SID and auth token (key, App, chosen numbers)",
    usage:
      '--accountSid AC... --authToken T [--friendlyName N] [--phoneNumberSids PN...,PN...] [--idempotencyKey K] [--dryRun true]',
    render: (body) =>
      'plan' in body
        ? `dry run: the credentials work; connect would do:\n${details(body.plan)}`
        : `${details(body.account)}\n\nidempotencyKey: ${body.idempotencyKey}${body.replayed ? ' (replayed)' : ''}`,
  }),
  serviceCommand({
    name: 'update-credentials',
    path: '/admin/accounts/update-credentials',
    summary:
      "replace a connected account's auth token after its owner changed it (checked with Twilio first)",
    usage: '--accountSid AC... --authToken T',
    render: ({ account, settlesWithinSeconds }) =>
      `${details(account)}\n\nthe new token is in force on every instance within ${settlesWithinSeconds} s; make a test call`,
  }),
  serviceCommand({
    name: 'disconnect',
    path: '/admin/accounts/disconnect',
    summary: 'stop serving a connected account: its numbers restored, our App and API key deleted there',
    usage: '--accountSid AC... --confirm AC...',
    render: ({ account, ...outcome }) => `${details(account)}\n\n${details(outcome)}`,
  }),
];
