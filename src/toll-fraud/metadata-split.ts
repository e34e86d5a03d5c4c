import type { MetadataJson } from 'libphonenumber-js/core';

/**
 * libphonenumber-js's metadata cut by country calling code: the index (which countries share which
 * code) whole, and each code's countries and non-geographic plan as a JSON text of its own, parsed
 * when a number of that code is first classified. libphonenumber-js takes its metadata as an argument
 * in its `/core` entry (its README, "Customizing metadata"), and reaches a country's or a
 * non-geographic plan's data only through `countries[country]` and `nonGeographic[code]`
 * (source/metadata.js), so a metadata object whose entries parse their code's text on first read
 * classifies exactly as the whole set does.
 */
export interface MetadataByCallingCode {
  version: number;
  country_calling_codes: Record<string, string[]>;
  /** The calling codes of no country (+800, +882, ...), each a plan of `nonGeographic`. */
  nonGeographicCodes: string[];
  /** Per calling code: the JSON text of `{ countries, nonGeographic }` for that code only. */
  texts: Record<string, string>;
}

/**
 * What the guard reads of the cut (metadata-by-calling-code.ts): the index, and each code's text on
 * demand, however the build stores it (scripts/metadata-by-calling-code-plugin.ts).
 */
export type MetadataIndex = Omit<MetadataByCallingCode, 'texts'> & {
  /** The JSON text of one calling code's share (CallingCodeMetadata); undefined for a code it lacks. */
  text(code: string): string | undefined;
};

/** One code's share of the metadata, as the text of MetadataByCallingCode holds it. */
export interface CallingCodeMetadata {
  countries: Record<string, unknown>;
  nonGeographic?: Record<string, unknown>;
}

/**
 * Cuts `full` by calling code. Every country must be listed under exactly one code (ITU calling codes
 * are a prefix code, and libphonenumber lists each country once); anything else throws, so a build
 * against a metadata of another shape fails rather than dropping a country.
 */
export function splitByCallingCode(full: MetadataJson): MetadataByCallingCode {
  const countries = full.countries as Record<string, unknown>;
  const nonGeographic = (full.nonGeographic ?? {}) as Record<string, unknown>;
  const seen = new Set<string>();
  const texts: Record<string, string> = {};
  for (const [code, listed] of Object.entries(full.country_calling_codes)) {
    const share: CallingCodeMetadata = { countries: {} };
    for (const country of listed) {
      if (!(country in countries) || seen.has(country)) {
        throw new Error(`libphonenumber metadata: ${country} is not listed once under one calling code`);
      }
      seen.add(country);
      share.countries[country] = countries[country];
    }
    if (code in nonGeographic) share.nonGeographic = { [code]: nonGeographic[code] };
    texts[code] = JSON.stringify(share);
  }
  const nonGeographicCodes = Object.keys(nonGeographic);
  for (const code of nonGeographicCodes) {
    texts[code] ??= JSON.stringify({ countries: {}, nonGeographic: { [code]: nonGeographic[code] } });
  }
  const missing = Object.keys(countries).filter((country) => !seen.has(country));
  if (missing.length > 0)
    throw new Error(`libphonenumber metadata: no calling code for ${missing.join(', ')}`);
  return {
    version: full.version,
    country_calling_codes: full.country_calling_codes,
    nonGeographicCodes,
    texts,
  };
}
