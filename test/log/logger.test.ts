import { redact } from '../../src/log/logger';

describe('redact', () => {
  const token = '0123456789abcdef0123456789abcdef';

  it('masks auth tokens, key secrets, JWTs and credentials, but keeps SIDs readable', () => {
    const sid = `AC${'a'.repeat(32)}`;
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';
    const line = redact(`account ${sid} token=${token} ticket ${jwt} Authorization: Bearer abc.def-ghi`);
    expect(line).toContain(sid);
    expect(line).not.toContain(token);
    expect(line).not.toContain(jwt);
    expect(line).not.toContain('abc.def-ghi');
  });
});
