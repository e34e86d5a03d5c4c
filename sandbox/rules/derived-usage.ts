import Big from 'big.js';
import type { Call, SandboxState, UsageRecord } from '../state/types';
import { billedMinutes, SANDBOX_PRICES } from './prices';

/** A usage category the sandbox derives from its state, with Twilio's category name and units. */
interface DerivedCategory {
  category: string;
  description: string;
  countUnit: string;
  usageUnit: string;
  rate: string;
}

const INBOUND_LOCAL: DerivedCategory = {
  category: 'calls-inbound-local',
  description: 'Inbound Local Calls',
  countUnit: 'calls',
  usageUnit: 'minutes',
  rate: SANDBOX_PRICES.inboundLocalPerMinute,
};
const OUTBOUND: DerivedCategory = {
  category: 'calls-outbound',
  description: 'Outbound Voice Minutes',
  countUnit: 'calls',
  usageUnit: 'minutes',
  rate: SANDBOX_PRICES.outboundPerMinute,
};
const CLIENT: DerivedCategory = {
  category: 'calls-client',
  description: 'Client Calls',
  countUnit: 'calls',
  usageUnit: 'minutes',
  rate: SANDBOX_PRICES.clientPerMinute,
};
const RECORDINGS: DerivedCategory = {
  category: 'recordings',
  description: 'Recordings',
  countUnit: 'recordings',
  usageUnit: 'minutes',
  rate: SANDBOX_PRICES.recordingPerMinute,
};
const LOCAL_NUMBERS: DerivedCategory = {
  category: 'phonenumbers-local',
  description: 'Local Phone Numbers',
  countUnit: 'phonenumbers',
  usageUnit: 'phonenumbers',
  rate: SANDBOX_PRICES.localNumberPerMonth,
};

/** A charge: one event of a category on a day, with its usage (minutes, or 1 number-month). */
interface Charge {
  accountSid: string;
  kind: DerivedCategory;
  day: string;
  usage: number;
}

const dayOf = (iso: string): string => iso.slice(0, 10);
const isClient = (address: string): boolean => address.startsWith('client:');

/**
 * The leg's category: a Voice SDK leg (either end a `client:` identity) at the client rate, a call to one
 * of the account's numbers as an inbound local call, one the account placed to the phone network as
 * outbound (https://support.twilio.com/hc/en-us/articles/223180608). The sandbox's numbers are local.
 */
function callCategory(call: Call): DerivedCategory {
  if (isClient(call.from) || isClient(call.to)) return CLIENT;
  return call.direction === 'inbound' ? INBOUND_LOCAL : OUTBOUND;
}

function callCharges(state: SandboxState, accounts: ReadonlySet<string>): Charge[] {
  return state.calls
    .filter((call) => accounts.has(call.accountSid) && call.startTime && call.endTime)
    .map((call) => ({
      accountSid: call.accountSid,
      kind: callCategory(call),
      day: dayOf(call.startTime as string),
      usage: billedMinutes(
        (Date.parse(call.endTime as string) - Date.parse(call.startTime as string)) / 1000,
      ),
    }));
}

/** Recording minutes are billed when recorded; deleting a recording later does not refund them. */
function recordingCharges(state: SandboxState, accounts: ReadonlySet<string>): Charge[] {
  return state.recordings
    .filter((recording) => accounts.has(recording.accountSid) && recording.status !== 'absent')
    .map((recording) => ({
      accountSid: recording.accountSid,
      kind: RECORDINGS,
      day: dayOf(recording.startTime),
      usage: billedMinutes(recording.durationSeconds),
    }));
}

/**
 * A number's rent: "billed for the full monthly price of the phone number up front", then "on the same
 * day the phone number was provisioned every month"; in a month without that day, on its last day,
 * which stays the bill date from then on
 * (https://support.twilio.com/hc/en-us/articles/223182908-How-much-does-a-phone-number-cost). Charged up
 * to `now`. A released number has left the state, and its past rent with it: no history is kept.
 */
function numberCharges(state: SandboxState, accounts: ReadonlySet<string>, now: number): Charge[] {
  const charges: Charge[] = [];
  for (const number of state.incomingPhoneNumbers) {
    if (!accounts.has(number.accountSid)) continue;
    for (const due of billDates(new Date(number.dateCreated), now)) {
      charges.push({ accountSid: number.accountSid, kind: LOCAL_NUMBERS, day: due, usage: 1 });
    }
  }
  return charges;
}

/** The days (YYYY-MM-DD) a monthly charge falls due from `start` up to `now`. */
function billDates(start: Date, now: number): string[] {
  const dates: string[] = [];
  let billDay = start.getUTCDate();
  for (let year = start.getUTCFullYear(), month = start.getUTCMonth(); ; month++) {
    const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
    billDay = Math.min(billDay, lastDay);
    const due = new Date(Date.UTC(year, month, billDay));
    if (due.getTime() > now) return dates;
    dates.push(due.toISOString().slice(0, 10));
  }
}

/**
 * Usage the sandbox's own activity made between two days (inclusive) for the given accounts: ended
 * calls by leg, recordings and number rent, priced per started minute or per month with SANDBOX_PRICES
 * in decimal arithmetic. One record per account, category and day, in the shape of explicitly added
 * usage records, so the Usage Records list sums both alike.
 */
export function derivedUsage(
  state: SandboxState,
  accounts: ReadonlySet<string>,
  startDate: string,
  endDate: string,
  now: number,
): UsageRecord[] {
  const byDay = new Map<string, UsageRecord>();
  const charges = [
    ...callCharges(state, accounts),
    ...recordingCharges(state, accounts),
    ...numberCharges(state, accounts, now),
  ].filter((charge) => charge.day >= startDate && charge.day <= endDate);
  for (const { accountSid, kind, day, usage } of charges) {
    const id = `${accountSid}/${kind.category}/${day}`;
    const record = byDay.get(id) ?? {
      accountSid,
      category: kind.category,
      description: kind.description,
      startDate: day,
      endDate: day,
      count: '0',
      countUnit: kind.countUnit,
      usage: '0',
      usageUnit: kind.usageUnit,
      price: '0',
      priceUnit: SANDBOX_PRICES.currency.toLowerCase(),
    };
    record.count = new Big(record.count).plus(1).toString();
    record.usage = new Big(record.usage).plus(usage).toString();
    record.price = new Big(record.price).plus(new Big(kind.rate).times(usage)).toString();
    byDay.set(id, record);
  }
  return [...byDay.values()];
}
