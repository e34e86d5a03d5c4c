/**
 * The countries libphonenumber-js has numbering data for, read from the calling-code index of its
 * metadata (metadata-by-calling-code.ts) without loading the package or parsing any country's data:
 * the registry's item check asks it of every allowed country on the hot path. The build writes the
 * list out in this module's place (scripts/metadata-by-calling-code-plugin.ts), so that check does not
 * evaluate the metadata module either.
 */
import byCallingCode from './metadata-by-calling-code';

export const SUPPORTED_COUNTRIES: ReadonlySet<string> = new Set(
  Object.values(byCallingCode.country_calling_codes).flat(),
);
