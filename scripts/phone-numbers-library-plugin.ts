import type { Plugin } from 'esbuild';

/** The private Functions that carry libphonenumber-js (src/functions/toll-fraud/*.private.ts). */
const LIBRARY_FUNCTIONS = { phoneNumbers: '/toll-fraud/phone-numbers', asYouType: '/toll-fraud/as-you-type' };

/**
 * Puts, in every built function, a module in src/toll-fraud/phone-numbers-library.ts's place that
 * requires the private Functions of LIBRARY_FUNCTIONS through `Runtime.getFunctions()` (keyed by path
 * without its leading slash, https://www.twilio.com/docs/serverless/functions-assets/client), at first
 * need, instead of bundling libphonenumber-js into the function. Those Functions' own entries import
 * the modules directly. A deployment without one (a partial upload) fails at that need with an error
 * saying so: /voice then answers its apology.
 */
export const phoneNumbersLibrary: Plugin = {
  name: 'phone-numbers-library',
  setup(on) {
    on.onLoad({ filter: /[\\/]src[\\/]toll-fraud[\\/]phone-numbers-library\.ts$/ }, () => ({
      contents: `
function loader(path) {
  let library;
  return () => {
    if (library) return library;
    const entry = typeof Runtime === 'undefined' ? undefined : Runtime.getFunctions()[path.slice(1)];
    if (!entry) throw new Error('The private Function ' + path + ' is not in this deployment: deploy the whole build.');
    return (library = require(entry.path));
  };
}
export const phoneNumbers = loader(${JSON.stringify(LIBRARY_FUNCTIONS.phoneNumbers)});
export const asYouType = loader(${JSON.stringify(LIBRARY_FUNCTIONS.asYouType)});
`,
      loader: 'js',
    }));
  },
};
