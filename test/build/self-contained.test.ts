/**
 * A deployed Function runs from a file named by its SID, alone: it can require npm packages but no
 * other project file. Each built function is copied alone into an empty folder that resolves only the
 * project's node_modules, and must still load and export a handler.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');
const builtFunctions = readdirSync(path.join(root, 'dist/functions'), {
  recursive: true,
  withFileTypes: true,
})
  .filter((entry) => entry.isFile() && entry.name.endsWith('.js'))
  .map((entry) => path.relative(path.join(root, 'dist/functions'), path.join(entry.parentPath, entry.name)));

describe('built functions', () => {
  it('mirror every function entry of src/functions', () => {
    const sources = readdirSync(path.join(root, 'src/functions'), { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
      .map((entry) =>
        path
          .relative(path.join(root, 'src/functions'), path.join(entry.parentPath, entry.name))
          .replace(/\.ts$/, '.js'),
      );
    expect(builtFunctions.sort()).toEqual(sources.sort());
    expect(builtFunctions).toContain(path.join('admin', 'health.js'));
  });

  it.each(builtFunctions)(
    '%s loads alone, with only node_modules beside it, and exports a handler',
    (file) => {
      const folder = mkdtempSync(path.join(tmpdir(), 'lone-function-'));
      symlinkSync(path.join(root, 'node_modules'), path.join(folder, 'node_modules'), 'dir');
      copyFileSync(path.join(root, 'dist/functions', file), path.join(folder, 'ZH0123.js'));
      const kind = execFileSync(
        process.execPath,
        ['-e', "process.stdout.write(typeof require('./ZH0123.js').handler)"],
        {
          cwd: folder,
          encoding: 'utf8',
        },
      );
      expect(kind).toBe('function');
    },
  );

  it('bundle the admin console with the typed client but nothing of the server', () => {
    const bundle = readFileSync(path.join(root, 'dist/assets/admin.js'), 'utf8');
    // The client takes only types from the route table: no zod, no schema, no Node module in the page.
    expect(bundle).not.toMatch(/zod|ZodObject|node:|subaccountParameters/);
    // Unminified, with its views, dialog and number transfer about 49 KB; server code (zod and the
    // schemas alone) would add hundreds of KB, which this bound still catches.
    expect(bundle.length).toBeLessThan(60_000);
  });

  it('publish no source maps or TypeScript among the assets', () => {
    const assets = readdirSync(path.join(root, 'dist/assets'), { recursive: true }).map(String);
    expect(assets.filter((name) => /\.(map|ts)$/.test(name))).toEqual([]);
  });
});
