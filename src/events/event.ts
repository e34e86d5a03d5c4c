import { randomBytes } from 'node:crypto';

/** Every kind of event the service posts (docs/events.md describes each one's `data`). */
export const EVENT_TYPES = [
  'call.completed',
  'voicemail.recorded',
  'recording.completed',
  'subaccount.created',
  'subaccount.adopted',
  'subaccount.suspended',
  'subaccount.reactivated',
  'subaccount.closed',
  'account.connected',
  'account.credentials_rejected',
  'account.credentials_updated',
  'account.disconnected',
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

/** Plain JSON facts about what happened: identifiers, numbers and states, never a secret or a media URL. */
export type EventData = Record<string, string | number | boolean | null | readonly string[]>;

/** What the company's back-end receives, as the JSON body of one POST. */
export interface ServiceEvent {
  /** `evt_` and 25 characters, unique; the same on every redelivery, so a receiver can drop repeats. */
  id: string;
  type: EventType;
  /** When it happened (ISO 8601), not when it was sent. */
  created: string;
  subaccountSid: string;
  data: EventData;
}

/** `evt_`, the creation time in base 36 (9 characters) and 16 random hex characters. */
export const EVENT_ID = /^evt_[0-9a-z]{9}[0-9a-f]{16}$/;

/**
 * A new event. Its id starts with its creation time, so ids sort oldest first: kept events are
 * redelivered in the order they happened (Sync lists map items in key order).
 */
export function newEvent(type: EventType, subaccountSid: string, data: EventData, now: Date): ServiceEvent {
  const time = now.getTime().toString(36).padStart(9, '0');
  return {
    id: `evt_${time}${randomBytes(8).toString('hex')}`,
    type,
    created: now.toISOString(),
    subaccountSid,
    data,
  };
}
