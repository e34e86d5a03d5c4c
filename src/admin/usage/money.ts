import Big from 'big.js';

/**
 * Money as Twilio gives it: decimal strings ("price": "0.0085", in the currency of `price_unit`,
 * https://www.twilio.com/docs/usage/api/usage-record). Every sum and product here is decimal (big.js),
 * never binary floating point, so 0.1 + 0.2 is 0.3 and ten thousand 0.0001 charges make exactly 1.
 */
export type Amount = string;

/** A price as Twilio answered it (string, or a number in a client's typing), as an exact amount. */
export function amountOf(price: unknown): Amount {
  if (price === null || price === undefined || price === '') return '0';
  return new Big(String(price)).toString();
}

export function sum(amounts: readonly Amount[]): Amount {
  return amounts.reduce((total, amount) => total.plus(amount), new Big(0)).toString();
}

export const isZero = (amount: Amount): boolean => new Big(amount).eq(0);

/**
 * Digits after the point of a currency's smallest unit (2 for USD, 0 for JPY), from the ISO 4217 data
 * the runtime's Intl carries; 2 for a code it does not know.
 */
export function minorDigits(currency: string): number {
  try {
    return (
      new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ??
      2
    );
  } catch {
    return 2;
  }
}

/**
 * What to bill for `cost` with `markupPercent` on top: cost × (100 + markup) / 100, rounded once, half
 * away from zero, to the currency's smallest unit (cents for USD). Costs are never rounded; each billed
 * figure is rounded on its own, and a total billed is the sum of the billed figures it is made of, so
 * an invoice's lines add up to its total.
 */
export function billed(cost: Amount, markupPercent: string, currency: string): Amount {
  return new Big(cost)
    .times(new Big(100).plus(markupPercent))
    .div(100)
    .round(minorDigits(currency), Big.roundHalfUp)
    .toFixed(minorDigits(currency));
}

/** A sum of billed figures, written to the currency's smallest unit like each of them ("2.70"). */
export function billedSum(amounts: readonly Amount[], currency: string): Amount {
  return new Big(sum(amounts)).toFixed(minorDigits(currency));
}

/** A decimal amount as a JSON number, for the fields that have always been numbers (`totalPrice`). */
export const asNumber = (amount: Amount): number => Number(amount);
