import type { Plugin } from 'esbuild';

/** The private Function that carries libphonenumber-js (src/functions/toll-fraud/phone-numbers.private.ts). */
export const PHONE_NUMBERS_FUNCTION = '/toll-fraud/phone-numbers';

/**
 * Puts, in every built function, a module in src/toll-fraud/phone-numbers-library.ts's place that
 * requires the private Function PHONE_NUMBERS_FUNCTION through `Runtime.getFunctions()` (keyed by path
 * without its leading slash, https://www.twilio.com/docs/serverless/functions-assets/client), at first
 * need, instead of bundling libphonenumber-js into the function. That Function's own entry imports the
 * modules directly, so it is the one file that holds them. A deployment without it (a partial upload)
 * fails the first classification with an error saying so: /voice then answers its apology.
 */
export const phoneNumbersLibrary: Plugin = {
  name: 'phone-numbers-library',
  setup(on) {
    on.onLoad({ filter: /[\\/]src[\\/]toll-fraud[\\/]phone-numbers-library\.ts$/ }, () => ({
      contents: `
const key = ${JSON.stringify(PHONE_NUMBERS_FUNCTION.slice(1))};
let library;
function load() {
  if (library) return library;
  const entry = typeof Runtime === 'undefined' ? undefined : Runtime.getFunctions()[key];
  if (!entry) throw new Error('The private Function ${PHONE_NUMBERS_FUNCTION} is not in this deployment: deploy the whole build.');
  return (library = require(entry.path));
}
export const phoneNumbers = load;
export const asYouType = load;
`,
      loader: 'js',
    }));
  },
};
