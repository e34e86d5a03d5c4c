import { AdminRefusal } from '../../src/client/admin-client';
import { afterFailure } from '../../src/pages/admin/failure-text';

const refusal = (status: number, code: string, details: Record<string, unknown> = {}) =>
  new AdminRefusal(status, code, 'refused', { error: { code, message: 'refused', ...details } });

describe('what the console says after a failed request', () => {
  it('says nothing changed only for refusals made before any change', () => {
    expect(afterFailure(refusal(400, 'unknown_parameter'))).toBe('Nothing was changed by the last request.');
    expect(afterFailure(refusal(409, 'subaccount_busy', { subaccountSid: `AC${'1'.repeat(32)}` }))).toBe(
      'Nothing was changed by the last request.',
    );
  });

  it('says what a create that stopped made, and the key a part-way operation finishes with', () => {
    const sid = `AC${'2'.repeat(32)}`;
    expect(
      afterFailure(
        refusal(409, 'subaccount_incomplete', {
          subaccountSid: sid,
          idempotencyKey: 'k-123456',
          provisioning: { missing: ['number'], reason: 'x' },
        }),
      ),
    ).toBe(`The last request stopped part-way: ${sid} exists but is not complete.`);
    // A 4xx from Twilio part-way through a rotation: the new key may exist.
    expect(afterFailure(refusal(409, 'twilio_refused', { idempotencyKey: 'rotate-0001' }))).toContain(
      'idempotency key rotate-0001',
    );
  });

  it('never claims nothing changed for a failure it cannot place', () => {
    expect(afterFailure(refusal(409, 'twilio_refused'))).toMatch(/part of it may have been done/);
    expect(afterFailure(new Error('boom'))).toMatch(/part of it may have been done/);
  });
});
