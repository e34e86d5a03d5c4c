import { billedMinutes, SANDBOX_PRICES } from '../rules/prices';
import type { Call } from '../state/types';

/** Twilio answers prices with five decimals ("-0.01700"). */
const PRICE_DECIMALS = 5;

/**
 * What Twilio charges for `seconds` at a per-minute rate, as Twilio writes a charge: a negative decimal
 * string (the Call resource's `price`, https://www.twilio.com/docs/voice/api/call-resource). Computed in
 * integer units of 10^-5, never in floats.
 */
export function chargeFor(ratePerMinute: string, seconds: number): string {
  const [whole = '0', fraction = ''] = ratePerMinute.split('.');
  const rateUnits = BigInt(whole + fraction.padEnd(PRICE_DECIMALS, '0').slice(0, PRICE_DECIMALS));
  const units = (rateUnits * BigInt(billedMinutes(seconds))).toString().padStart(PRICE_DECIMALS + 1, '0');
  const amount = `${units.slice(0, -PRICE_DECIMALS)}.${units.slice(-PRICE_DECIMALS)}`;
  return units.replace(/0/g, '') === '' ? amount : `-${amount}`;
}

/**
 * The per-minute rate of one call leg: a leg to or from a browser client at the client rate, a
 * `<Dial>` leg to the phone network at the outbound rate, an inbound call to a number at the local rate.
 */
export function rateOf(call: Pick<Call, 'from' | 'to' | 'direction'>): string {
  if (call.from.startsWith('client:') || call.to.startsWith('client:')) return SANDBOX_PRICES.clientPerMinute;
  if (call.direction === 'inbound') return SANDBOX_PRICES.inboundLocalPerMinute;
  return SANDBOX_PRICES.outboundPerMinute;
}
