import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseDestination } from '../src/voice/destination';
import { updateParameters } from '../src/admin/subaccounts/update';
import { dialTarget } from '../src/pages/softphone/dial-target';
import { verifyTicket } from '../src/tokens/ticket';
import { mintTicket } from '../src/tokens/mint-ticket';
import { isE164, isSid, isVoiceIdentity, MAX_IDENTITY_LENGTH } from '../src/vocabulary';

const root = path.resolve(__dirname, '..');
const VOCABULARY = path.join('src', 'vocabulary.ts');
/** Code that validates what a user or Twilio sends; tests may keep literal fixtures. */
const CODE_DIRECTORIES = ['src', 'sandbox', 'scripts', 'bench', 'load'];

/** How each rule looks when someone writes it out again instead of importing it. */
const WRITTEN_OUT = [
  { rule: 'a SID (32 hex digits)', pattern: /\[0-9a-f(?:A-F)?\]\{32\}/ },
  { rule: 'E.164', pattern: /\\\+\[1-9\]/ },
  { rule: 'the Voice identity', pattern: /\[A-Za-z0-9_\]/ },
];

function sourceFiles(directory: string): string[] {
  return readdirSync(path.join(root, directory), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.[cm]?[jt]s$/.test(entry.name))
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)));
}

describe('one vocabulary', () => {
  it('writes the SID, E.164 and identity patterns only in src/vocabulary.ts', () => {
    const elsewhere = CODE_DIRECTORIES.flatMap(sourceFiles)
      .filter((file) => file !== VOCABULARY)
      .flatMap((file) => {
        const text = readFileSync(path.join(root, file), 'utf8');
        return WRITTEN_OUT.filter(({ pattern }) => pattern.test(text)).map(({ rule }) => `${file}: ${rule}`);
      });
    expect(elsewhere).toEqual([]);
  });

  it('takes E.164 as ITU-T and Twilio write it: "+", no leading 0, at most 15 digits', () => {
    expect(isE164('+14155550100')).toBe(true);
    expect(isE164(`+1${'2'.repeat(14)}`)).toBe(true);
    expect(isE164(`+1${'2'.repeat(15)}`)).toBe(false);
    expect(isE164('+04155550100')).toBe(false);
    expect(isE164('14155550100')).toBe(false);
    expect(isE164('+1 415 555 0100')).toBe(false);
  });

  it('takes a Voice identity of letters, digits and underscore up to the SDK limit', () => {
    expect(isVoiceIdentity('alice_01')).toBe(true);
    expect(isVoiceIdentity('a'.repeat(MAX_IDENTITY_LENGTH))).toBe(true);
    expect(isVoiceIdentity('a'.repeat(MAX_IDENTITY_LENGTH + 1))).toBe(false);
    expect(isVoiceIdentity('alice smith')).toBe(false);
    expect(isVoiceIdentity('')).toBe(false);
  });

  it('takes a SID as its prefix and 32 lowercase hex digits', () => {
    expect(isSid('AC', `AC${'a'.repeat(32)}`)).toBe(true);
    expect(isSid('AC', `PN${'a'.repeat(32)}`)).toBe(false);
    expect(isSid('AC', `AC${'A'.repeat(32)}`)).toBe(false);
    expect(isSid('AC', `AC${'a'.repeat(31)}`)).toBe(false);
  });

  it('holds the admin parameters, the ticket, /voice and the softphone page to the same identity rule', () => {
    const longest = 'a'.repeat(MAX_IDENTITY_LENGTH);
    const tooLong = `${longest}a`;
    const sub = `AC${'1'.repeat(32)}`;
    const routing = (identity: string) =>
      updateParameters.safeParse({ subaccountSid: sub, inboundRouting: { '+14155550100': [identity] } })
        .success;
    const ticket = (identity: string) => () =>
      verifyTicket(
        's'.repeat(32),
        mintTicket('s'.repeat(32), { identity, accountSid: sub }),
        Date.now() / 1000,
      );

    expect([routing(longest), routing(tooLong)]).toEqual([true, false]);
    expect(ticket(longest)).not.toThrow();
    expect(ticket(tooLong)).toThrow(/identity/);
    expect(parseDestination(longest)).toEqual({ kind: 'client', identity: longest });
    expect(parseDestination(tooLong)).toEqual({ kind: 'invalid' });
    expect(dialTarget(longest).ok).toBe(true);
    expect(dialTarget(tooLong).ok).toBe(false);
  });

  it('holds the admin parameters, /voice and the softphone page to the same E.164 rule', () => {
    const callerId = (number: string) =>
      updateParameters.safeParse({ subaccountSid: `AC${'1'.repeat(32)}`, callerId: number }).success;
    for (const [number, valid] of [
      ['+4410', true],
      [`+1${'2'.repeat(14)}`, true],
      [`+1${'2'.repeat(15)}`, false],
    ] as const) {
      expect(callerId(number)).toBe(valid);
      expect(parseDestination(number).kind).toBe(valid ? 'number' : 'invalid');
      expect(dialTarget(number).ok).toBe(valid);
    }
  });
});
