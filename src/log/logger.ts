import createDebug from 'debug';
import { HEX_32_IN_TEXT } from '../vocabulary';

/**
 * Namespaced logging (`DEBUG=voice-service:*`), as Twilio's own runtime does it. Every message goes
 * through `redact` first, so a secret that slips into a log line is masked rather than printed.
 */
export function logger(area: string) {
  const debug = createDebug(`voice-service:${area}`);
  return {
    debug: (message: string, fields?: Record<string, unknown>) => {
      if (debug.enabled) debug('%s', formatLine(message, fields));
    },
    /** Problems an operator must see even without DEBUG: Twilio's Functions log shows stderr. */
    error: (message: string, fields?: Record<string, unknown>) => {
      console.error(`[voice-service:${area}] ${formatLine(message, fields)}`);
    },
  };
}

function formatLine(message: string, fields?: Record<string, unknown>): string {
  return redact(fields ? `${message} ${JSON.stringify(fields)}` : message);
}

// Auth tokens and key secrets are 32 lower-case hex characters (HEX_32_IN_TEXT); JWTs are three base64url parts;
// Basic/Bearer credentials follow their scheme name. SIDs (two capitals + 32 hex) are identifiers, kept.
const CREDENTIAL = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/g;
const JWT = /\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g;

export function redact(text: string): string {
  return text
    .replace(CREDENTIAL, '$1 [redacted]')
    .replace(JWT, '[redacted-jwt]')
    .replace(HEX_32_IN_TEXT, '[redacted]');
}
