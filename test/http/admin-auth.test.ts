import { loadConfig } from '../../src/config/config';
import { isServiceError } from '../../src/errors/service-error';
import { requireAdmin } from '../../src/http/admin-auth';
import { serviceEnv } from '../../testkit/service-env';

const first = 'k1_'.padEnd(40, 'a');
const second = 'k2_'.padEnd(48, 'b');
const config = loadConfig(serviceEnv({ ADMIN_API_KEYS: `${first},${second}` }));

function statusFor(authorization: string | undefined): number {
  try {
    requireAdmin(authorization === undefined ? {} : { authorization }, config);
    return 200;
  } catch (error) {
    if (isServiceError(error)) return error.status;
    throw error;
  }
}

describe('requireAdmin', () => {
  it('accepts each configured key, so a key can be rotated without downtime', () => {
    expect(statusFor(`Bearer ${first}`)).toBe(200);
    expect(statusFor(`Bearer ${second}`)).toBe(200);
    expect(statusFor(`bearer ${second}`)).toBe(200);
  });

  it.each([
    ['a missing header', undefined],
    ['an empty header', ''],
    ['another scheme', `Basic ${first}`],
    ['a wrong key', `Bearer ${'z'.repeat(40)}`],
    ['a prefix of a key', `Bearer ${first.slice(0, 20)}`],
    ['a key with extra characters', `Bearer ${first}x`],
    ['two keys joined', `Bearer ${first},${second}`],
  ])('refuses %s with 401', (_case, header) => {
    expect(statusFor(header)).toBe(401);
  });
});
