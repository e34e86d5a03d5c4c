import type { Plugin } from 'esbuild';
import { readFile } from 'node:fs/promises';
import type { MetadataJson } from 'libphonenumber-js/core';
import { splitByCallingCode, type MetadataByCallingCode } from '../src/toll-fraud/metadata-split';

/**
 * libphonenumber-js's full metadata cut by calling code at build time (src/toll-fraud/metadata-split.ts):
 * the module becomes the index and one JSON text per code, so a function never holds the whole
 * metadata (157 KB) as objects and parses only the codes it classifies numbers of. The list of the
 * countries it knows (src/toll-fraud/supported-countries.ts) becomes that list written out, so
 * checking a stored country (every `account` item read) evaluates no metadata at all.
 */
export const metadataByCallingCode: Plugin = {
  name: 'libphonenumber-metadata-by-calling-code',
  setup(on) {
    let split: Promise<MetadataByCallingCode> | undefined;
    const metadata = () =>
      (split ??= readFile(require.resolve('libphonenumber-js/metadata.max.json'), 'utf8').then((text) =>
        splitByCallingCode(JSON.parse(text) as MetadataJson),
      ));
    on.onLoad({ filter: /[\\/]src[\\/]toll-fraud[\\/]metadata-by-calling-code\.ts$/ }, async () => ({
      contents: `export default ${JSON.stringify(await metadata())};`,
      loader: 'js',
    }));
    on.onLoad({ filter: /[\\/]src[\\/]toll-fraud[\\/]supported-countries\.ts$/ }, async () => {
      const countries = Object.values((await metadata()).country_calling_codes).flat();
      return {
        contents: `export const SUPPORTED_COUNTRIES = new Set(${JSON.stringify(countries)});`,
        loader: 'js',
      };
    });
  },
};
