/**
 * What becomes of a number's inbound routing when numbers/transfer moves it. Routing is the tenant's
 * own (the identities of its users, which ring nobody in another account), so it does not follow the
 * number: the losing subaccount keeps it as `awayRouting` (registry/types.ts), and when the number comes
 * back to that subaccount it is routed again as before; its voice configuration is pointed at that
 * subaccount's TwiML App by the transfer itself (arrival.ts). A subaccount keeps the routing of at most
 * MAX_AWAY_NUMBERS numbers away, forgetting the oldest first.
 */
import { MAX_AWAY_NUMBERS } from '../../registry/schema';
import type { AwayRouting, RegisteredNumber, SubaccountRecord } from '../../registry/types';

/** The routing the record has for the number, if any (possibly to nobody). */
export function routingOf(record: SubaccountRecord, number: RegisteredNumber): string[] | undefined {
  const routing = record.inboundRouting;
  return Object.hasOwn(routing, number.phoneNumber) ? routing[number.phoneNumber] : undefined;
}

/** The routing kept for the number while it is away, if any. */
export function awayRoutingOf(record: SubaccountRecord, number: RegisteredNumber): AwayRouting | undefined {
  return record.awayRouting?.find((away) => isSame(away, number));
}

/** The record once the number has left: not held, not the caller ID, its routing kept for its return. */
export function leaving(record: SubaccountRecord, number: RegisteredNumber, now: Date): SubaccountRecord {
  const identities = routingOf(record, number);
  const { [number.phoneNumber]: _left, ...inboundRouting } = record.inboundRouting;
  const others = (record.awayRouting ?? []).filter((away) => !isSame(away, number));
  const kept = identities
    ? { sid: number.sid, phoneNumber: number.phoneNumber, identities, leftAt: now.toISOString() }
    : undefined;
  const awayRouting = [...(kept ? [kept] : []), ...others].slice(0, MAX_AWAY_NUMBERS);
  const { awayRouting: _previous, ...rest } = record;
  return {
    ...rest,
    numbers: record.numbers.filter((held) => held.sid !== number.sid),
    callerId: record.callerId === number.phoneNumber ? null : record.callerId,
    inboundRouting,
    ...(awayRouting.length > 0 ? { awayRouting } : {}),
    updatedAt: now.toISOString(),
  };
}

/** The record once the number has arrived: held, and routed as it was when it left, if it left here. */
export function arriving(record: SubaccountRecord, number: RegisteredNumber, now: Date): SubaccountRecord {
  const away = awayRoutingOf(record, number);
  const awayRouting = (record.awayRouting ?? []).filter((entry) => entry !== away);
  const { awayRouting: _previous, ...rest } = record;
  return {
    ...rest,
    numbers: [...record.numbers.filter((held) => held.sid !== number.sid), number],
    callerId: record.callerId ?? number.phoneNumber,
    inboundRouting: {
      ...record.inboundRouting,
      ...(away ? { [number.phoneNumber]: [...away.identities] } : {}),
    },
    ...(awayRouting.length > 0 ? { awayRouting } : {}),
    updatedAt: now.toISOString(),
  };
}

const isSame = (away: AwayRouting, number: RegisteredNumber) =>
  away.sid === number.sid || away.phoneNumber === number.phoneNumber;
