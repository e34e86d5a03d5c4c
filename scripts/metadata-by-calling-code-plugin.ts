import type { Plugin } from 'esbuild';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { MetadataJson } from 'libphonenumber-js/core';
import { groupTexts, splitByCallingCode, type MetadataByCallingCode } from '../src/toll-fraud/metadata-split';

/** The private Asset of a group of calling codes (src/toll-fraud/metadata-split.ts `groupOf`). */
const metadataAssetPath = (group: string): string => `${METADATA_ASSETS}${group}.json`;
const METADATA_ASSETS = '/toll-fraud/metadata-';

const metadata = (() => {
  let split: Promise<MetadataByCallingCode> | undefined;
  return () =>
    (split ??= readFile(require.resolve('libphonenumber-js/metadata.max.json'), 'utf8').then((text) =>
      splitByCallingCode(JSON.parse(text) as MetadataJson),
    ));
})();

/**
 * libphonenumber-js's full metadata cut by calling code at build time (src/toll-fraud/metadata-split.ts),
 * so a function never holds the whole metadata (157 KB) as objects and parses only the group of codes
 * it classifies numbers of. The list of the countries it knows (src/toll-fraud/supported-countries.ts)
 * becomes that list written out, so checking a stored country (every `account` item read) evaluates
 * no metadata at all.
 *
 * `inAssets` (the functions' build): the module is the index alone, and a group's text is read from
 * its private Asset (`writeMetadataAssets`) through `Runtime.getAssets()`, the runtime's way to a
 * Function's data files (https://www.twilio.com/docs/serverless/functions-assets/client#getassets):
 * a number's first classification reads its group's file (the +1 group is about 15 KB), and no
 * Function's own file carries the 155 KB of texts it would otherwise read and scan at every cold
 * start. A page's build keeps the texts in the page.
 */
export function metadataByCallingCode({ inAssets }: { inAssets: boolean }): Plugin {
  return {
    name: 'libphonenumber-metadata-by-calling-code',
    setup(on) {
      on.onLoad({ filter: /[\\/]src[\\/]toll-fraud[\\/]metadata-by-calling-code\.ts$/ }, async () => ({
        contents: indexModule(await metadata(), inAssets),
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

/** The module's source: the index, and `groupText(group)` (a MetadataIndex) over where the texts are. */
function indexModule({ texts, ...index }: MetadataByCallingCode, inAssets: boolean): string {
  if (!inAssets) {
    return `const groups = ${JSON.stringify(groupTexts(texts))};
export default {
  ...${JSON.stringify(index)},
  groupText: (group) => (Object.prototype.hasOwnProperty.call(groups, group) ? groups[group] : undefined),
};`;
  }
  const groups = Object.keys(groupTexts(texts));
  return `const groups = new Set(${JSON.stringify(groups)});
export default {
  ...${JSON.stringify(index)},
  groupText(group) {
    if (!groups.has(group)) return undefined;
    const path = ${JSON.stringify(METADATA_ASSETS)} + group + '.json';
    const asset = typeof Runtime === 'undefined' ? undefined : Runtime.getAssets()[path];
    if (!asset) throw new Error('The private Asset ' + path + ' is not in this deployment: deploy the whole build.');
    return asset.open();
  },
};`;
}

/** Writes each group's text as a private Asset under `assetsDir` (twilio-run's `.private` suffix). */
export async function writeMetadataAssets(assetsDir: string): Promise<void> {
  const groups = groupTexts((await metadata()).texts);
  for (const [group, text] of Object.entries(groups)) {
    const file = path.join(assetsDir, metadataAssetPath(group).replace(/\.json$/, '.private.json'));
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, text);
  }
}
