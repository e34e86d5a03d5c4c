/**
 * Twilio Voice client identities: letters, digits and underscore only (anything else breaks calls to
 * `client:<identity>`). Twilio refuses client names over 256 characters (error 31105); the Voice SDK
 * documentation gives 121 as the longest identity that can place and receive calls, so that is ours.
 */
export const MAX_IDENTITY_LENGTH = 121;

const VOICE_IDENTITY = new RegExp(`^[A-Za-z0-9_]{1,${MAX_IDENTITY_LENGTH}}$`);

export function isVoiceIdentity(value: unknown): value is string {
  return typeof value === 'string' && VOICE_IDENTITY.test(value);
}

export const IDENTITY_RULE = `letters, digits and underscore, 1 to ${MAX_IDENTITY_LENGTH} characters`;
