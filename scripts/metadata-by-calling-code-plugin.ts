import type { Plugin } from 'esbuild';
import { readFile } from 'node:fs/promises';
import { splitByCallingCode } from '../src/toll-fraud/metadata-split';

/**
 * libphonenumber-js's full metadata cut by calling code at build time (src/toll-fraud/metadata-split.ts):
 * the module becomes the index and one JSON text per code, so a function never holds the whole
 * metadata (157 KB) as objects and parses only the codes it classifies numbers of.
 */
export const metadataByCallingCode: Plugin = {
  name: 'libphonenumber-metadata-by-calling-code',
  setup(on) {
    on.onLoad({ filter: /[\\/]src[\\/]toll-fraud[\\/]metadata-by-calling-code\.ts$/ }, async () => {
      const full = JSON.parse(await readFile(require.resolve('libphonenumber-js/metadata.max.json'), 'utf8'));
      return { contents: `export default ${JSON.stringify(splitByCallingCode(full))};`, loader: 'js' };
    });
  },
};
