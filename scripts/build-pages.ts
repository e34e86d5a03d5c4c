/**
 * The browser side of dist/assets: each page's script (src/pages/<page>/main.ts) bundled into
 * dist/assets/<page>.js, and the Twilio Voice SDK's browser bundle copied from node_modules into
 * dist/assets/vendor, so pages load it from the service itself, at the version package.json pins.
 */
import { build } from 'esbuild';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import { metadataByCallingCode } from './metadata-by-calling-code-plugin';

const root = path.resolve(__dirname, '..');
const pagesSource = path.join(root, 'src/pages');

export const VOICE_SDK_ASSET = 'vendor/twilio-voice.min.js';

export async function buildPages(assetsOut: string): Promise<string[]> {
  // A page is a folder with a main.ts; others (common/) hold what pages import.
  const pages = (await readdir(pagesSource, { withFileTypes: true }))
    .filter((entry) => entry.isDirectory() && existsSync(path.join(pagesSource, entry.name, 'main.ts')))
    .map((entry) => entry.name);
  await build({
    entryPoints: pages.map((page) => ({ in: path.join(pagesSource, page, 'main.ts'), out: page })),
    outdir: assetsOut,
    bundle: true,
    platform: 'browser',
    target: 'es2020',
    format: 'iife',
    sourcemap: false,
    legalComments: 'none',
    plugins: [metadataByCallingCode({ inAssets: false })],
    logLevel: 'warning',
  });
  await mkdir(path.join(assetsOut, 'vendor'), { recursive: true });
  // The package's exports map lists only its modules; the browser bundle sits in dist/ beside them.
  const sdkModule = require.resolve('@twilio/voice-sdk');
  await copyFile(
    path.join(path.dirname(sdkModule), '..', 'dist', 'twilio.min.js'),
    path.join(assetsOut, VOICE_SDK_ASSET),
  );
  return pages;
}
