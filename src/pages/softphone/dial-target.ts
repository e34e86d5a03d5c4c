import { isE164, isVoiceIdentity } from '../../vocabulary';
import { checkDestination, type CallingPolicy } from '../../toll-fraud/destination-guard';
import { guardRefusalSentence } from '../../voice/guard-refusal-words';

/**
 * What the person typed as the one to call: a phone number, written in international form with any
 * spaces, dots, dashes or parentheses (sent as E.164), or a colleague's identity (sent as is). A
 * number outside the account's calling policy (from /token) is refused with the sentence /voice would
 * say. The /voice webhook decides again on its side; this is for a helpful message before dialling.
 */

export type DialTarget = { ok: true; to: string; label: string } | { ok: false; message: string };

export function dialTarget(input: string, policy?: CallingPolicy): DialTarget {
  const typed = input.trim();
  if (typed.startsWith('+') || /^[0-9(]/.test(typed)) {
    const number = typed.replace(/[\s().-]/g, '');
    if (isE164(number)) {
      const refused = policy && checkDestination(number, policy);
      return refused
        ? { ok: false, message: guardRefusalSentence(refused) }
        : { ok: true, to: number, label: number };
    }
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
