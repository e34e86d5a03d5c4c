/**
 * No folder imports, through other folders, a folder that imports it: the layering of
 * docs/architecture.md ("Who may import whom"), checked on every value import of the TypeScript in
 * the folders below. An `import type` (or an import whose every name is a type) is erased by the
 * compiler and counted out; `require()` and `import()` of a relative path count like any import.
 *
 * Folders are compared at every depth: at depth 2 `src/admin/check/check.ts` is in `src/admin`, at
 * depth 3 in `src/admin/check`, and a folder's own files are one node apart from its subfolders (so
 * `sandbox/sandbox.ts` importing `sandbox/calls/` while `sandbox/calls/` imports another file of
 * `sandbox/` itself is a cycle). dependency-cruiser's folder scope counts a folder with all its subfolders
 * (src/analyze/derive/folders/aggregate-to-folders.mjs in sverweij/dependency-cruiser), which misses
 * that case, hence this small check over the TypeScript syntax tree.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const root = path.resolve(__dirname, '../..');
const CHECKED = ['src', 'sandbox', 'scripts', 'testkit', 'bench', 'load'];
const SOURCE = /\.(ts|cts|mts|js|cjs|mjs)$/;
const RESOLVED = ['', '.ts', '.js', '.cjs', '.mjs', '.json', '/index.ts', '/index.js'];

/** One value import between two files, as paths relative to the repository. */
interface FileImport {
  from: string;
  to: string;
}

/** True when the compiler erases the declaration: `import type`, or every named binding a `type`. */
function typeOnly(node: ts.ImportDeclaration | ts.ExportDeclaration): boolean {
  if (ts.isExportDeclaration(node)) {
    if (node.isTypeOnly) return true;
    const named = node.exportClause;
    return (
      !!named &&
      ts.isNamedExports(named) &&
      named.elements.length > 0 &&
      named.elements.every((e) => e.isTypeOnly)
    );
  }
  const clause = node.importClause;
  if (!clause) return false;
  if (clause.isTypeOnly) return true;
  const named = clause.namedBindings;
  return (
    !clause.name &&
    !!named &&
    ts.isNamedImports(named) &&
    named.elements.length > 0 &&
    named.elements.every((element) => element.isTypeOnly)
  );
}

function literal(node: ts.Node | undefined): string | undefined {
  return node && ts.isStringLiteralLike(node) ? node.text : undefined;
}

/** The relative specifiers a file imports as values: declarations, `import x = require()`, `require()`, `import()`. */
function valueSpecifiers(fileName: string, text: string): string[] {
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    let specifier: string | undefined;
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && !typeOnly(node)) {
      specifier = literal(node.moduleSpecifier);
    } else if (ts.isImportEqualsDeclaration(node) && !node.isTypeOnly) {
      const reference = node.moduleReference;
      if (ts.isExternalModuleReference(reference)) specifier = literal(reference.expression);
    } else if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const isRequire = ts.isIdentifier(callee) && callee.text === 'require';
      if (isRequire || callee.kind === ts.SyntaxKind.ImportKeyword) specifier = literal(node.arguments[0]);
    }
    if (specifier?.startsWith('.')) found.push(specifier);
    ts.forEachChild(node, visit);
  };
  visit(ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false));
  return found;
}

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(full);
    return SOURCE.test(entry.name) && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

function resolve(fromFile: string, specifier: string): string | undefined {
  const base = path.resolve(path.dirname(fromFile), specifier);
  const file = RESOLVED.map((suffix) => base + suffix).find((c) => existsSync(c) && statSync(c).isFile());
  return file && path.relative(root, file);
}

function repositoryImports(): FileImport[] {
  return CHECKED.flatMap((top) => sourceFiles(path.join(root, top))).flatMap((file) =>
    valueSpecifiers(file, readFileSync(file, 'utf8')).flatMap((specifier) => {
      const to = resolve(file, specifier);
      return to ? [{ from: path.relative(root, file), to }] : [];
    }),
  );
}

/** A file's folder cut to `depth` segments: `src/admin/check/check.ts` is `src/admin` at depth 2. */
function folderOf(file: string, depth: number): string {
  return path.posix.dirname(file).split('/').slice(0, depth).join('/');
}

/**
 * The folder cycles at `depth`: each a strongly connected group of folders (Tarjan's algorithm), with
 * one file import for every edge inside it, so a failure names the imports to move.
 */
function folderCycles(imports: readonly FileImport[], depth: number): string[][] {
  const edges = new Map<string, Map<string, string>>();
  for (const { from, to } of imports) {
    const [a, b] = [folderOf(from, depth), folderOf(to, depth)];
    if (a === b) continue;
    if (!edges.has(a)) edges.set(a, new Map());
    if (!edges.get(a)?.has(b)) edges.get(a)?.set(b, `${from} -> ${to}`);
  }
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const groups: string[][] = [];
  const connect = (folder: string): void => {
    index.set(folder, index.size);
    low.set(folder, index.get(folder) ?? 0);
    stack.push(folder);
    for (const next of edges.get(folder)?.keys() ?? []) {
      if (!index.has(next)) connect(next);
      if (stack.includes(next)) low.set(folder, Math.min(low.get(folder) ?? 0, low.get(next) ?? 0));
    }
    if (low.get(folder) !== index.get(folder)) return;
    const group = stack.splice(stack.indexOf(folder));
    if (group.length > 1) groups.push(group);
  };
  for (const folder of edges.keys()) if (!index.has(folder)) connect(folder);
  return groups.map((group) =>
    group.flatMap((a) =>
      [...(edges.get(a) ?? [])].filter(([b]) => group.includes(b)).map(([, example]) => example),
    ),
  );
}

describe('folder imports', () => {
  it('counts value imports only: type imports are erased, require() and import() are not', () => {
    const text = [
      "import type { A } from './a';",
      "import { type B, type C } from './b';",
      "export type { D } from './d';",
      "import { e, type E } from './e';",
      "export { f } from './f';",
      "import './g';",
      "const h = require('./h');",
      "void import('./i');",
      "import { j } from 'zod';",
    ].join('\n');
    expect(valueSpecifiers('x.ts', text)).toEqual(['./e', './f', './g', './h', './i']);
  });

  it("finds a cycle between a folder's own files and its subfolder, and one through several folders", () => {
    const imports = [
      { from: 'sandbox/sandbox.ts', to: 'sandbox/calls/webhook.ts' },
      { from: 'sandbox/calls/webhook.ts', to: 'sandbox/errors.ts' },
      { from: 'src/a/x.ts', to: 'src/b/y.ts' },
      { from: 'src/b/y.ts', to: 'src/c/z.ts' },
      { from: 'src/c/z.ts', to: 'src/a/w.ts' },
    ];
    expect(folderCycles(imports, 1)).toEqual([]);
    expect(
      folderCycles(imports, 2)
        .map((group) => group.length)
        .sort(),
    ).toEqual([2, 3]);
  });

  it('has no folder cycle at any depth in src, sandbox, scripts, testkit, bench and load', () => {
    const imports = repositoryImports();
    expect(imports.length).toBeGreaterThan(1000);
    const deepest = Math.max(...imports.map(({ from }) => from.split('/').length - 1));
    const cycles = Array.from({ length: deepest }, (_, i) => i + 1).flatMap((depth) =>
      folderCycles(imports, depth).map((group) => `depth ${depth}:\n  ${group.join('\n  ')}`),
    );
    expect(cycles).toEqual([]);
  });
});
