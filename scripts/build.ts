/**
 * Builds the deployable service into dist/:
 * - every entry under src/functions becomes ONE self-contained file at the same path under dist/functions
 *   (a deployed Function runs from a file named by its SID, so it cannot import other project files);
 *   the packages of `dependencies` stay `require`s, installed by Twilio from package.json; any other
 *   package a function uses is bundled in, but for libphonenumber-js, which only the private Function
 *   toll-fraud/phone-numbers carries and the others require from it at first need
 *   (src/toll-fraud/phone-numbers-library.ts; as a package it would be a hundred small files to
 *   resolve and read, bundled it is one file already built);
 * - src/assets is copied to dist/assets, without source maps or TypeScript sources, and the pages'
 *   scripts and the Voice SDK are added to it (scripts/build-pages.ts), and the admin API's description
 *   docs/openapi.json, served as /openapi.json.
 * The `.protected` / `.private` suffixes of twilio-run are kept because the file name is kept.
 */
import { build, transformSync, type Plugin } from 'esbuild';
import { copyFile, cp, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import packageJson from '../package.json';
import { buildPages } from './build-pages';
import { builtFunctionsCurrent, recordBuildInputs } from './build-inputs';
import { compiledItemChecks } from './item-checks-compiled';
import { metadataByCallingCode, writeMetadataAssets } from './metadata-by-calling-code-plugin';
import { phoneNumbersLibrary } from './phone-numbers-library-plugin';

const root = path.resolve(__dirname, '..');
const functionsSource = path.join(root, 'src/functions');
const assetsSource = path.join(root, 'src/assets');
const dist = path.join(root, 'dist');

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => path.join(entry.parentPath, entry.name));
}

/**
 * The hot paths' registry item checks, compiled from their schemas (scripts/item-checks-compiled.ts).
 * Ajv's generated code is long-winded (one named local per step); its local names are shortened here,
 * as every byte of a function's file is read by V8 before the function can answer. Its top-level names
 * (the module's exports and the validators) are kept.
 */
const itemChecksCompiled: Plugin = {
  name: 'item-checks-compiled',
  setup(on) {
    let source: string | undefined;
    on.onLoad({ filter: /[\\/]src[\\/]registry[\\/]item-checks\.ts$/ }, ({ path: file }) => {
      source ??= transformSync(compiledItemChecks(), { format: 'esm', loader: 'js', minify: true }).code;
      return { contents: source, loader: 'js', resolveDir: path.dirname(file) };
    });
  },
};

export interface BuildOptions {
  /**
   * Keep dist/functions when nothing it was built from changed (scripts/build-inputs.ts), as `npm start`
   * does at its next start; the assets are made again either way (a start points its copy of the
   * softphone at its own sandbox). Off by default: a build, a deploy and the tests build afresh.
   */
  reuseCurrentFunctions?: boolean;
}

export async function buildService(
  options: BuildOptions = {},
): Promise<{ functions: string[]; reused: boolean }> {
  const entries = (await listFiles(functionsSource)).filter(
    (file) => file.endsWith('.ts') && !file.endsWith('.d.ts'),
  );
  const reused = Boolean(options.reuseCurrentFunctions) && builtFunctionsCurrent(root, dist);
  if (reused) await rm(path.join(dist, 'assets'), { recursive: true, force: true });
  else await buildFunctions(entries);
  await cp(assetsSource, path.join(dist, 'assets'), {
    recursive: true,
    filter: (source) => !/\.(map|ts)$|\/\.gitkeep$/.test(source),
  });
  await copyFile(path.join(root, 'docs/openapi.json'), path.join(dist, 'assets/openapi.json'));
  await buildPages(path.join(dist, 'assets'));
  await writeMetadataAssets(path.join(dist, 'assets'));
  return { functions: entries.map((file) => path.relative(functionsSource, file)), reused };
}

async function buildFunctions(entries: string[]): Promise<void> {
  await rm(dist, { recursive: true, force: true });
  const { metafile } = await build({
    absWorkingDir: root,
    entryPoints: entries,
    outbase: functionsSource,
    outdir: path.join(dist, 'functions'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    // What Twilio installs stays a `require` (a package and any of its files).
    external: Object.keys(packageJson.dependencies).flatMap((name) => [name, `${name}/*`]),
    sourcemap: false,
    legalComments: 'none',
    // A cold Function's `require` reads its whole file before the first answer (V8 scans every byte,
    // compiling function bodies when first called), so the file carries no whitespace or comments and
    // the shortest equivalent syntax. Names are kept, so a logged stack trace still names its
    // functions; `npm run bench cold-start` measures the load.
    minifyWhitespace: true,
    minifySyntax: true,
    plugins: [metadataByCallingCode({ inAssets: true }), itemChecksCompiled, phoneNumbersLibrary],
    logLevel: 'warning',
    metafile: true,
  });
  recordBuildInputs(root, dist, metafile);
}

if (require.main === module) {
  buildService().then(
    ({ functions }) => console.log(`Built ${functions.length} functions into dist/functions`),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
