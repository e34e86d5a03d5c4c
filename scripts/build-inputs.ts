/**
 * What the functions of dist/ were built from, recorded beside them (not deployed), for two readers:
 * - a later `npm start`, to tell whether bundling them again would change anything;
 * - the build's tests, to see what each function file bundles (the files carry no comments naming their
 *   sources: scripts/build.ts writes them without).
 * For the first, the record lists every file esbuild read (its
 * metafile: https://esbuild.github.io/api/#metafile, packages under node_modules included) and every
 * file under src/ and scripts/ (the build's own code, and what its plugins read outside esbuild), plus
 * package.json and package-lock.json, each with its size and modification time. The functions are
 * current when that list is the same file for file; any edit, new or deleted file makes them stale.
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import type { Metafile } from 'esbuild';

type Stamps = Record<string, string>;

interface BuildRecord {
  /** Size and modification time of every file the functions were built from. */
  stamps: Stamps;
  /** Each function file (relative to dist/functions) and the files bundled into it (relative to the root). */
  byFunction: Record<string, string[]>;
}

/** Beside dist/functions, not in it: twilio-run serves and deploys only that folder and dist/assets. */
const recordFile = (dist: string) => path.join(dist, 'functions-inputs.json');

const ALWAYS = ['package.json', 'package-lock.json'];
const TREES = ['src', 'scripts'];

function stampsOf(root: string, files: Iterable<string>): Stamps {
  const stamps: Stamps = {};
  for (const file of files) {
    const stat = statSync(path.join(root, file), { throwIfNoEntry: false });
    stamps[file] = stat ? `${stat.size}:${stat.mtimeMs}` : 'missing';
  }
  return stamps;
}

function treeFiles(root: string): string[] {
  return TREES.flatMap((tree) =>
    readdirSync(path.join(root, tree), { withFileTypes: true, recursive: true })
      .filter((entry) => entry.isFile())
      .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name))),
  );
}

/** `metafile`: esbuild's account of the build, its paths relative to `root` (esbuild's absWorkingDir). */
export function recordBuildInputs(root: string, dist: string, metafile: Metafile): void {
  const files = new Set([...ALWAYS, ...treeFiles(root), ...Object.keys(metafile.inputs)]);
  const byFunction = Object.fromEntries(
    Object.entries(metafile.outputs).map(([output, { inputs }]) => [
      path.relative(path.join(dist, 'functions'), path.resolve(root, output)),
      Object.keys(inputs),
    ]),
  );
  const record: BuildRecord = { stamps: stampsOf(root, files), byFunction };
  writeFileSync(recordFile(dist), JSON.stringify(record));
}

const readRecord = (dist: string): BuildRecord =>
  JSON.parse(readFileSync(recordFile(dist), 'utf8')) as BuildRecord;

/** The files bundled into the function file `file` (relative to dist/functions) at the last build. */
export function functionInputs(dist: string, file: string): string[] | undefined {
  return readRecord(dist).byFunction[file];
}

/** True when dist/functions was built from exactly the files that are here now. */
export function builtFunctionsCurrent(root: string, dist: string): boolean {
  const file = recordFile(dist);
  if (!existsSync(file) || !existsSync(path.join(dist, 'functions'))) return false;
  const recorded = readRecord(dist).stamps;
  const now = stampsOf(root, new Set([...Object.keys(recorded), ...ALWAYS, ...treeFiles(root)]));
  const names = Object.keys(now);
  return names.length === Object.keys(recorded).length && names.every((name) => recorded[name] === now[name]);
}
