import { isE164, isVoiceIdentity } from '../../vocabulary';

/**
 * What the person typed as the one to call: a phone number, written in international form with any
 * spaces, dots, dashes or parentheses (sent as E.164), or a colleague's identity (sent as is). The
 * /voice webhook decides again on its side; this is for a helpful message before dialling.
 */

export type DialTarget = { ok: true; to: string; label: string } | { ok: false; message: string };

export function dialTarget(input: string): DialTarget {
  const typed = input.trim();
  if (typed.startsWith('+') || /^[0-9(]/.test(typed)) {
    const number = typed.replace(/[\s().-]/g, '');
    if (isE164(number)) return { ok: true, to: number, label: number };
    return {
      ok: false,
      message: 'Write the number in international form, starting with + and the country code (+15551234567).',
    };
  }
  const identity = typed.startsWith('client:') ? typed.slice('client:'.length) : typed;
  if (isVoiceIdentity(identity)) return { ok: true, to: identity, label: identity };
  return {
    ok: false,
    message:
      "A colleague's name has only letters, digits and underscores (alice_01); a number starts with +.",
  };
}
