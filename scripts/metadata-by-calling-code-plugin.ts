import type { Plugin } from 'esbuild';
import { readFile } from 'node:fs/promises';
import { brotliCompressSync, constants as zlibConstants } from 'node:zlib';
import type { MetadataJson } from 'libphonenumber-js/core';
import { splitByCallingCode, type MetadataByCallingCode } from '../src/toll-fraud/metadata-split';

/**
 * libphonenumber-js's full metadata cut by calling code at build time (src/toll-fraud/metadata-split.ts):
 * the module becomes the index and one JSON text per code, so a function never holds the whole
 * metadata (157 KB) as objects and parses only the codes it classifies numbers of. The list of the
 * countries it knows (src/toll-fraud/supported-countries.ts) becomes that list written out, so
 * checking a stored country (every `account` item read) evaluates no metadata at all.
 *
 * `packed` (the functions' build): each code's text is stored Brotli-compressed, in base64, and
 * inflated with node:zlib when its code is first classified. The escaped JSON texts are 170 KB that a
 * Function's `require` would read and scan whole; packed they are under half that, a plain string
 * scanned at once. A page's build keeps them as text (a browser has no node:zlib).
 */
export function metadataByCallingCode({ packed }: { packed: boolean }): Plugin {
  return {
    name: 'libphonenumber-metadata-by-calling-code',
    setup(on) {
      let split: Promise<MetadataByCallingCode> | undefined;
      const metadata = () =>
        (split ??= readFile(require.resolve('libphonenumber-js/metadata.max.json'), 'utf8').then((text) =>
          splitByCallingCode(JSON.parse(text) as MetadataJson),
        ));
      on.onLoad({ filter: /[\\/]src[\\/]toll-fraud[\\/]metadata-by-calling-code\.ts$/ }, async () => ({
        contents: indexModule(await metadata(), packed),
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
}

/** The module's source: the index, and `text(code)` (a MetadataIndex) over the texts as stored. */
function indexModule({ texts, ...index }: MetadataByCallingCode, packed: boolean): string {
  const own = 'Object.prototype.hasOwnProperty.call(stored, code)';
  if (!packed) {
    return `const stored = ${JSON.stringify(texts)};
export default { ...${JSON.stringify(index)}, text: (code) => (${own} ? stored[code] : undefined) };`;
  }
  const stored = Object.fromEntries(
    Object.entries(texts).map(([code, text]) => [
      code,
      brotliCompressSync(Buffer.from(text), {
        params: { [zlibConstants.BROTLI_PARAM_QUALITY]: zlibConstants.BROTLI_MAX_QUALITY },
      }).toString('base64'),
    ]),
  );
  return `import { brotliDecompressSync } from 'node:zlib';
const stored = ${JSON.stringify(stored)};
export default {
  ...${JSON.stringify(index)},
  text: (code) => (${own} ? brotliDecompressSync(Buffer.from(stored[code], 'base64')).toString('utf8') : undefined),
};`;
}
