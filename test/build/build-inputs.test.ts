/**
 * When `npm start` may keep dist/functions: only while every file they were built from is the same.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { builtFunctionsCurrent, functionInputs, recordBuildInputs } from '../../scripts/build-inputs';

describe('build inputs', () => {
  let root: string;
  let dist: string;
  const write = (file: string, text: string) => {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  };

  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'build-inputs-'));
    dist = path.join(root, 'dist');
    for (const file of ['package.json', 'package-lock.json', 'src/functions/token.ts', 'scripts/build.ts'])
      write(file, '{}');
    write('node_modules/pkg/index.js', 'module.exports = 1;');
    mkdirSync(path.join(dist, 'functions'), { recursive: true });
    const inputs = {
      'src/functions/token.ts': { bytes: 2, imports: [] },
      'node_modules/pkg/index.js': { bytes: 20, imports: [] },
    };
    const output = {
      bytes: 22,
      inputs: {
        'src/functions/token.ts': { bytesInOutput: 2 },
        'node_modules/pkg/index.js': { bytesInOutput: 20 },
      },
      imports: [],
      exports: [],
    };
    recordBuildInputs(root, dist, { inputs, outputs: { 'dist/functions/token.js': output } });
  });

  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('keeps the functions while nothing they were built from changed', () => {
    expect(builtFunctionsCurrent(root, dist)).toBe(true);
  });

  it('names what each function file bundles', () => {
    expect(functionInputs(dist, 'token.js')).toEqual(['src/functions/token.ts', 'node_modules/pkg/index.js']);
  });

  it.each([
    ['an edited source', () => write('src/functions/token.ts', '{"changed":1}')],
    ['a new source file', () => write('src/functions/new.ts', '')],
    ['a deleted source file', () => rmSync(path.join(root, 'src/functions/token.ts'))],
    ['an edited build script', () => write('scripts/build.ts', '{"changed":1}')],
    ['an edited bundled package', () => write('node_modules/pkg/index.js', 'module.exports = 22;')],
    ['a new lockfile', () => write('package-lock.json', '{"lockfileVersion":3}')],
    ['no functions built', () => rmSync(path.join(dist, 'functions'), { recursive: true })],
  ])('builds them again after %s', (_, change) => {
    change();
    expect(builtFunctionsCurrent(root, dist)).toBe(false);
  });
});
