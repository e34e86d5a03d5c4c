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
 * The calling codes' shares are kept in nine groups, by the code's first digit: +1 (the North American
 * plan, 25 countries) alone in its group, +44 with the other codes from 4. A group is what is read and
 * parsed at once when a number of one of its codes is first classified; the build stores each as a
 * private Asset of the service (scripts/metadata-by-calling-code-plugin.ts).
 */
export const groupOf = (code: string): string => code.charAt(0);

/** The JSON text of each group: `{ [code]: CallingCodeMetadata }` for the codes of that group. */
export function groupTexts(texts: Record<string, string>): Record<string, string> {
  const members: Record<string, string[]> = {};
  for (const code of Object.keys(texts)) (members[groupOf(code)] ??= []).push(code);
  return Object.fromEntries(
    Object.entries(members).map(([group, codes]) => [
      group,
      `{${codes.map((code) => `${JSON.stringify(code)}:${texts[code]}`).join(',')}}`,
    ]),
  );
}

/**
 * What the guard reads of the cut (metadata-by-calling-code.ts): the index, and each group's text on
 * demand, wherever the build keeps it.
 */
export type MetadataIndex = Omit<MetadataByCallingCode, 'texts'> & {
  /** The JSON text of a group (`groupTexts`); undefined for a group no code falls in. */
  groupText(group: string): string | undefined;
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
