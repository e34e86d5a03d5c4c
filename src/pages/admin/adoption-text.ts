import type { Adoption } from '../../admin/answers';

/** Where a number's calls went before adopt: its App, its own Voice URL, or nowhere. */
const before = (number: Adoption['numbers'][number]): string =>
  number.before.voiceApplicationSid
    ? `TwiML App ${number.before.voiceApplicationSid}`
    : (number.before.voiceUrl ?? 'nothing');

/**
 * What adopting a subaccount changes (a preview, `dryRun`) or changed, one line per part and number,
 * in words an operator can check before pressing Adopt, and keep afterwards to undo a number's change.
 */
export function adoptionLines(adoption: Adoption): string[] {
  const future = adoption.dryRun;
  const key = {
    create: future ? 'A new API key will be made.' : 'A new API key was made.',
    none: 'Its API key stays.',
  }[adoption.apiKey.action];
  const app = {
    create: future ? 'A TwiML App on this service will be made.' : 'A TwiML App on this service was made.',
    reuse: `Its TwiML App ${adoption.twimlApp.sid ?? ''} on this service is reused.`,
    none: 'Its TwiML App stays.',
  }[adoption.twimlApp.action];
  const numbers = adoption.numbers.map((number) => {
    if (number.action === 'keep') return `${number.phoneNumber}: left as it is (rings ${before(number)}).`;
    if (number.action === 'none') return `${number.phoneNumber}: already rings this service.`;
    if (future) return `${number.phoneNumber}: rings ${before(number)} now; will ring this service.`;
    return number.pointed
      ? `${number.phoneNumber}: rang ${before(number)}; now rings this service.`
      : `${number.phoneNumber}: still rings ${before(number)}; adopt it again to finish.`;
  });
  return [key, app, ...(numbers.length > 0 ? numbers : ['No numbers.'])];
}
