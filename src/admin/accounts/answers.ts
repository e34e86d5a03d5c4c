/** What the connected-account functions answer (routes.ts names them; docs/openapi.json shows them). */
import { z } from 'zod';
import { registeredNumber, subaccount } from '../answers';
import { accountSid } from '../parameters';
import { sidPattern, type SidPrefix } from '../../vocabulary';

const sidOf = (prefix: SidPrefix) => z.string().regex(sidPattern(prefix));

const voiceSetting = z.object({
  voiceUrl: z.string().nullable(),
  voiceMethod: z.string().nullable(),
  voiceApplicationSid: sidOf('AP').nullable(),
});

/** The tenant as the registry now holds it (`kind: connected`), and the key its retries name. */
export const connectedAnswer = z.object({
  account: subaccount,
  idempotencyKey: z.string(),
  /** True when an earlier call with this idempotency key connected it: nothing was done now. */
  replayed: z.boolean(),
});

/** `dryRun: true`: the credentials were checked; this is what connect would make and change. */
export const connectPlanAnswer = z.object({
  dryRun: z.literal(true),
  accountSid,
  friendlyName: z.string(),
  plan: z.object({
    apiKey: z.literal('create'),
    twimlApp: z.object({ action: z.literal('create'), voiceUrl: z.string() }),
    numbers: z.array(registeredNumber.extend({ before: voiceSetting, action: z.literal('point') })),
  }),
});

export const updateCredentialsAnswer = z.object({
  account: subaccount,
  /** Seconds until every instance uses the new token (the hot paths' cache age). */
  settlesWithinSeconds: z.number().int(),
});

export const disconnectAnswer = z.object({
  account: subaccount,
  /** Numbers put back to the voice setting they had before connect. */
  numbersRestored: z.array(registeredNumber),
  /** Numbers left as they are: their owner re-pointed or released them since connect. */
  numbersLeft: z.array(registeredNumber),
  deletedApiKeySids: z.array(sidOf('SK')),
  deletedTwimlAppSid: sidOf('AP').nullable(),
});

/** A ticket (docs/tickets.md) for the fixed test-call identity; the softphone trades it at /token. */
export const testCallTicketAnswer = z.object({
  accountSid,
  identity: z.string(),
  ticket: z.string(),
  expiresAt: z.string().meta({ format: 'date-time' }),
});
