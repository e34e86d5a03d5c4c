import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { openApiDocument, renderOpenApi } from '../../scripts/openapi';
import { handler as create } from '../../src/functions/admin/subaccounts/create';
import { handler as voice } from '../../src/functions/voice';
import { adminPathOf, answerProblems, OPENAPI_PATH } from '../../testkit/admin-contract';

const root = path.resolve(__dirname, '../..');
const committed = readFileSync(OPENAPI_PATH, 'utf8');

/** Every `/admin/...` URL the service has: one per file under src/functions/admin. */
function adminFunctionPaths(): string[] {
  return readdirSync(path.join(root, 'src/functions/admin'), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) =>
      `/${path.relative(path.join(root, 'src/functions'), path.join(entry.parentPath, entry.name))}`.replace(
        /\.ts$/,
        '',
      ),
    )
    .sort();
}

describe('docs/openapi.json', () => {
  it('is what `npm run openapi` generates from the route table', () => {
    expect(committed).toBe(renderOpenApi());
  });

  it('validates as OpenAPI 3.1', () => {
    // The validator is an ES module: it runs in its own Node process, as its CLI would.
    const script = `
      import { Validator } from '@seriousme/openapi-schema-validator';
      const validator = new Validator();
      const result = await validator.validate(${JSON.stringify(OPENAPI_PATH)});
      process.stdout.write(JSON.stringify({ ...result, version: validator.version }));`;
    const result = JSON.parse(
      execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' }),
    ) as { valid: boolean; errors?: unknown; version: string };
    expect(result).toEqual({ valid: true, version: '3.1' });
  });

  it('names every admin function the service has, with bearer auth on each', () => {
    const document = openApiDocument();
    expect(Object.keys(document.paths).sort()).toEqual(adminFunctionPaths());
    expect(document.components.securitySchemes.adminKey).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(document.security).toEqual([{ adminKey: [] }]);
  });

  it('is what the test helpers hold the answers of each admin function to, and only theirs', () => {
    expect(adminPathOf(create)).toBe('/admin/subaccounts/create');
    expect(adminPathOf(voice)).toBeUndefined();
  });

  it('tells a described answer from one that departs from it', () => {
    const error = (code: string) => ({ error: { code, message: 'm' } });
    expect(answerProblems('/admin/subaccounts/get', 404, error('subaccount_not_found'))).toEqual([]);
    expect(answerProblems('/admin/subaccounts/get', 404, error('made_up'))).not.toEqual([]);
    expect(answerProblems('/admin/subaccounts/get', 418, error('subaccount_not_found'))).toEqual([
      '/admin/subaccounts/get does not describe status 418',
    ]);
    expect(answerProblems('/admin/subaccounts/get', 200, { subaccount: {} })).not.toEqual([]);
    expect(answerProblems('/admin/subaccounts/close', 202, { closed: true })).not.toEqual([]);
  });

  it('is served from dist as the public asset /openapi.json', () => {
    expect(readFileSync(path.join(root, 'dist/assets/openapi.json'), 'utf8')).toBe(committed);
  });
});
