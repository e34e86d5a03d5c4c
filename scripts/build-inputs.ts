/**
 * What the functions of dist/ were built from, recorded beside them, so a later `npm start` can tell
 * whether bundling them again would change anything. The record lists every file esbuild read (its
 * metafile: https://esbuild.github.io/api/#metafile, packages under node_modules included) and every
 * file under src/ and scripts/ (the build's own code, and what its plugins read outside esbuild), plus
 * package.json and package-lock.json, each with its size and modification time. The functions are
 * current when that list is the same file for file; any edit, new or deleted file makes them stale.
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

type Stamps = Record<string, string>;

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

/** `esbuildInputs`: the metafile's input paths, relative to `root` (esbuild's absWorkingDir). */
export function recordBuildInputs(root: string, dist: string, esbuildInputs: readonly string[]): void {
  const files = new Set([...ALWAYS, ...treeFiles(root), ...esbuildInputs]);
  writeFileSync(recordFile(dist), JSON.stringify(stampsOf(root, files)));
}

/** True when dist/functions was built from exactly the files that are here now. */
export function builtFunctionsCurrent(root: string, dist: string): boolean {
  const file = recordFile(dist);
  if (!existsSync(file) || !existsSync(path.join(dist, 'functions'))) return false;
  const recorded = JSON.parse(readFileSync(file, 'utf8')) as Stamps;
  const now = stampsOf(root, new Set([...Object.keys(recorded), ...ALWAYS, ...treeFiles(root)]));
  const names = Object.keys(now);
  return names.length === Object.keys(recorded).length && names.every((name) => recorded[name] === now[name]);
}
