import { z } from 'zod';
import { EVENT_ID, EVENT_TYPES, type ServiceEvent } from './event';
import { MAX_KEPT_BYTES, type UndeliveredEvent } from './undelivered';

/** A kept item as `redeliver` reads it once its MAC verified: fields, and the body they carry. */
const keptItemSchema = z.object({
  body: z.string().max(MAX_KEPT_BYTES),
  attempts: z.number().int().min(1),
  lastError: z.string().max(500),
  lastAttemptAt: z.string().max(40),
  claimedUntil: z.string().max(40).nullable().optional(),
});

const eventSchema = z.object({
  id: z.string().regex(EVENT_ID),
  type: z.enum(EVENT_TYPES),
  created: z.string().max(40),
  subaccountSid: z.string().max(64),
  data: z.record(z.string(), z.unknown()),
});

export interface KeptItem {
  kept: UndeliveredEvent;
  /** What the body says (the same bytes are posted). */
  event: ServiceEvent;
}

/** The kept item and its event, or why it is refused (never sent). */
export function readKeptItem(key: string, data: unknown): KeptItem | { refused: string } {
  const kept = keptItemSchema.safeParse(data);
  if (!kept.success) return { refused: 'its fields are not those of a kept event' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(kept.data.body);
  } catch {
    return { refused: 'its body is not JSON' };
  }
  const event = eventSchema.safeParse(parsed);
  if (!event.success) return { refused: 'its body is not an event' };
  if (event.data.id !== key) return { refused: 'its key and the event id it holds disagree' };
  return { kept: kept.data, event: event.data as ServiceEvent };
}
