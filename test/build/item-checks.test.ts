/**
 * The registry item checks the build compiles for the hot paths (scripts/item-checks-compiled.ts)
 * against the zod checks they stand for (src/registry/item-checks.ts): on valid items and thousands of
 * items with one field made wrong, both accept the same items, with the same data, and refuse the same.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildSync } from 'esbuild';
import fc from 'fast-check';
import packageJson from '../../package.json';
import { compiledItemChecks } from '../../scripts/item-checks-compiled';
import * as zodChecks from '../../src/registry/item-checks';

const root = path.resolve(__dirname, '../..');
const HEX = '0123456789abcdef0123456789abcdef';
const secret = { alg: 'A256GCM', kid: 'k1', iv: 'aXY', tag: 'dGFn', data: 'ZGF0YQ' };

const account = {
  schema: 2,
  sid: `AC${HEX}`,
  friendlyName: 'Acme',
  status: 'active',
  apiKey: { sid: `SK${HEX}`, secret, createdAt: '2026-01-01T00:00:00.000Z' },
  retiringApiKeys: [],
  twimlAppSid: `AP${HEX}`,
  callerId: '+14155550100',
  recording: false,
  voicemail: true,
  allowedCountries: ['US', 'CA'],
  blockedNumberTypes: ['premium_rate'],
  messagingServiceSid: null,
  idempotencyKey: null,
  authToken: secret,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  kind: 'subaccount',
};
const numberItem = {
  schema: 2,
  sid: `PN${HEX}`,
  phoneNumber: '+14155550100',
  identities: ['alice', 'bob_2'],
};

/** The compiled module, bundled from src/registry as the build bundles it. */
function compiled(): typeof zodChecks {
  const out = path.join(root, 'node_modules/.cache/item-checks-compiled/checks.cjs');
  mkdirSync(path.dirname(out), { recursive: true });
  const { outputFiles } = buildSync({
    stdin: { contents: compiledItemChecks(), resolveDir: path.join(root, 'src/registry'), loader: 'js' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    write: false,
    external: Object.keys(packageJson.dependencies).flatMap((name) => [name, `${name}/*`]),
    logLevel: 'error',
  });
  writeFileSync(out, outputFiles[0]?.text ?? '');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(out) as typeof zodChecks;
}

const wrongValues = fc.constantFrom<unknown>(
  null,
  true,
  0,
  -1,
  1.5,
  4000,
  '',
  'x'.repeat(65),
  'x'.repeat(600),
  'US',
  'XX',
  'us',
  '+1',
  '+14155550100',
  'AC' + HEX,
  'not a sid',
  [],
  ['US'],
  ['ZZ'],
  ['premium_rate', 'nope'],
  ['alice', 'bad name'],
  {},
  { missing: 'x' },
  Array.from({ length: 21 }, (_, i) => `id${i}`),
);

/** The item with one field (top level, or one level down) replaced or removed. */
const mutated = (item: Record<string, unknown>) =>
  fc
    .record({
      key: fc.constantFrom(...Object.keys(item)),
      inner: fc.option(fc.constantFrom('sid', 'secret', 'createdAt', 'alg', 'iv', 'data', 'kid'), {
        nil: undefined,
      }),
      value: fc.option(wrongValues, { nil: undefined }),
    })
    .map(({ key, inner, value }) => {
      const copy = structuredClone(item);
      const target = copy[key];
      if (inner && target && typeof target === 'object' && !Array.isArray(target)) {
        if (value === undefined) Reflect.deleteProperty(target, inner);
        else (target as Record<string, unknown>)[inner] = value;
      } else if (value === undefined) Reflect.deleteProperty(copy, key);
      else copy[key] = value;
      return copy;
    });

const verdict = (checked: { data: unknown } | { problem: string }) =>
  'problem' in checked ? 'refused' : { data: checked.data };

describe('compiled registry item checks', () => {
  const built = compiled();

  it('accept valid items with the data zod gives', () => {
    expect(verdict(built.checkAccountItem(structuredClone(account)))).toEqual(
      verdict(zodChecks.checkAccountItem(account)),
    );
    expect(verdict(built.checkAccountItem(structuredClone(account)))).not.toBe('refused');
    const extra = { ...numberItem, addedLater: 1 };
    expect(verdict(built.checkNumberItem(structuredClone(extra)))).toEqual(
      verdict(zodChecks.checkNumberItem(extra)),
    );
  });

  it('read prefixes kept by earlier releases as countries, as zod does', () => {
    const { allowedCountries: _countries, ...old } = { ...account, allowedPrefixes: ['+1', '+44'] };
    expect(verdict(built.checkAccountItem(structuredClone(old)))).toEqual(
      verdict(zodChecks.checkAccountItem(old)),
    );
  });

  it('agree with zod on account items with one field wrong or missing', () => {
    fc.assert(
      fc.property(mutated(account), (item) => {
        expect(verdict(built.checkAccountItem(structuredClone(item)))).toEqual(
          verdict(zodChecks.checkAccountItem(item)),
        );
      }),
      { numRuns: 800 },
    );
  });

  it('agree with zod on number items with one field wrong or missing', () => {
    fc.assert(
      fc.property(mutated(numberItem), (item) => {
        expect(verdict(built.checkNumberItem(structuredClone(item)))).toEqual(
          verdict(zodChecks.checkNumberItem(item)),
        );
      }),
      { numRuns: 500 },
    );
  });
});
