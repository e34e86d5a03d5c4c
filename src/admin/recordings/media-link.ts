import { createHmac, timingSafeEqual } from 'node:crypto';
import type { ServiceConfig } from '../../config/config';
import { perConfig } from '../../config/per-config';
import { forbidden } from '../../errors/service-error';
import { isSid } from '../../vocabulary';
import { MEDIA_FORMATS, type MediaFormat } from './media';

/** The public function that plays a recording to whoever holds a link signed here. */
export const RECORDING_MEDIA_PATH = '/recording-media';

/**
 * How long a link plays: long enough to open and listen to a recording in the console, short enough
 * that a link copied into a chat or a log is useless soon after. One admin call makes a new one.
 */
export const MEDIA_LINK_SECONDS = 15 * 60;

/**
 * The links' HMAC keys, one derived from each REGISTRY_ENCRYPTION_KEY listed (HMAC-SHA256 of a fixed
 * label), so no new secret is configured, and the key that signs links is not the one that encrypts
 * the registry. Links are signed with the newest and verified with any, so a rotation (which lists
 * both keys for a while) does not break a link handed out just before it.
 */
const linkKeys = perConfig((config: ServiceConfig) =>
  config.registryKeys.map(({ key }) => createHmac('sha256', key).update('recording-media-link/v1').digest()),
);

export interface MediaLinkClaims {
  subaccountSid: string;
  recordingSid: string;
  /** Unix seconds after which the link is refused. */
  expires: number;
  /** The format the link plays (WAV unless it says otherwise); signed, so it is the one asked for. */
  format: MediaFormat;
}

function signature(key: Buffer, claims: MediaLinkClaims): Buffer {
  const format = claims.format === 'wav' ? '' : `.${claims.format}`;
  return createHmac('sha256', key)
    .update(`${claims.subaccountSid}.${claims.recordingSid}.${claims.expires}${format}`)
    .digest();
}

/** A link to the recording's audio that works without credentials until it expires. */
export function signMediaLink(
  config: ServiceConfig,
  subaccountSid: string,
  recordingSid: string,
  now: Date,
  format: MediaFormat = 'wav',
): { url: string; expiresAt: string } {
  const expires = Math.floor(now.getTime() / 1000) + MEDIA_LINK_SECONDS;
  const claims = { subaccountSid, recordingSid, expires, format };
  const [newest] = linkKeys.of(config);
  const query = new URLSearchParams({
    subaccountSid,
    recordingSid,
    expires: String(expires),
    ...(format === 'wav' ? {} : { format }),
    signature: signature(newest as Buffer, claims).toString('base64url'),
  });
  return {
    url: `${config.publicBaseUrl}${RECORDING_MEDIA_PATH}?${query.toString()}`,
    expiresAt: new Date(expires * 1000).toISOString(),
  };
}

const refused = () =>
  forbidden(
    'link_invalid',
    'This recording link is not valid or has expired: ask for a new one with recordings/get.',
  );

/**
 * The claims of a link signed by signMediaLink, checked in constant time; a link that was altered,
 * signed with another key, or past its expiry is refused with 403 `link_invalid`, whichever it is.
 */
export function verifyMediaLink(
  config: ServiceConfig,
  query: Record<string, unknown>,
  now: Date,
): MediaLinkClaims {
  const { subaccountSid, recordingSid, expires, signature: given, format = 'wav' } = query;
  if (
    typeof subaccountSid !== 'string' ||
    typeof recordingSid !== 'string' ||
    typeof expires !== 'string' ||
    typeof given !== 'string' ||
    typeof format !== 'string' ||
    !Object.hasOwn(MEDIA_FORMATS, format) ||
    !isSid('AC', subaccountSid) ||
    !isSid('RE', recordingSid) ||
    !/^\d{1,12}$/.test(expires)
  ) {
    throw refused();
  }
  const claims = { subaccountSid, recordingSid, expires: Number(expires), format: format as MediaFormat };
  const actual = Buffer.from(given, 'base64url');
  const matches = linkKeys.of(config).some((key) => {
    const expected = signature(key, claims);
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  });
  if (!matches) throw refused();
  if (claims.expires * 1000 <= now.getTime()) throw refused();
  return claims;
}
