/**
 * Where the toll-fraud guard's libphonenumber-js comes from, loaded at first need: phone-numbers.ts
 * (parsing and typing numbers, on the guard's metadata) and as-you-type.ts (reading the dialling
 * prefixes of earlier releases, registry/dialling-prefix-migration.ts).
 *
 * Run from source (tests, `tsx`), these are the modules themselves. In a build, they are the private
 * Functions `/toll-fraud/phone-numbers` and `/toll-fraud/as-you-type` (src/functions/toll-fraud/, the
 * package's code; the metadata they read is in private Assets, scripts/metadata-by-calling-code-plugin.ts):
 * scripts/phone-numbers-library-plugin.ts puts a module in this one's place that requires their files
 * through `Runtime.getFunctions()`, Twilio's way for Functions to share code
 * (https://www.twilio.com/docs/serverless/functions-assets/client#getfunctions). So no function carries
 * the package: /token and the admin functions load it only for a number they must classify, /voice
 * while its first registry read is in flight (voice-webhook.ts `whileReading`), and every function of
 * an instance shares the one copy, with its parsed metadata.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
export const phoneNumbers = (): typeof import('./phone-numbers') => require('./phone-numbers');
export const asYouType = (): typeof import('./as-you-type') => require('./as-you-type');
/* eslint-enable @typescript-eslint/no-require-imports */
