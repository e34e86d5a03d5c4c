import { asE164, callingIdentity, parseDestination } from '../../src/voice/destination';

describe('where a browser client may call', () => {
  it.each([
    ['+14155550199', { kind: 'number', number: '+14155550199' }],
    ['+1 (415) 555-0199', { kind: 'number', number: '+14155550199' }],
    ['+44 20 7183 8750', { kind: 'number', number: '+442071838750' }],
    ['client:bob_2', { kind: 'client', identity: 'bob_2' }],
    ['bob_2', { kind: 'client', identity: 'bob_2' }],
  ])('%s is %o', (to, expected) => {
    expect(parseDestination(to)).toEqual(expected);
  });

  it.each([
    '',
    '+',
    '+0123456',
    '+1234567890123456',
    '+1-800-FLOWERS',
    '+１４１５５５５０１９９',
    'client:',
    'bob smith',
    'sip:bob@example.com',
    'client:bob@x',
  ])('%p is neither a number nor an identity', (to) => {
    expect(parseDestination(to)).toEqual({ kind: 'invalid' });
  });

  it('reads the calling identity only from a client: From', () => {
    expect(callingIdentity('client:alice')).toBe('alice');
    expect(callingIdentity('+14155550100')).toBeUndefined();
    expect(callingIdentity('client:al ice')).toBeUndefined();
    expect(asE164('00441234')).toBeUndefined();
  });
});
