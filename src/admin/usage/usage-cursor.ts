import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { z } from 'zod';
import type { ServiceConfig } from '../../config/config';
import { invalidParameter } from '../../errors/service-error';
import { accountSid } from '../parameters';
import { runningTotals, type RunningTotals } from './running-totals';

/**
 * Longest usage cursor accepted. It carries the running totals (one line per currency and category seen
 * so far), compressed: a few hundred categories fit, more than a voice service's subaccounts use.
 */
export const USAGE_CURSOR_MAX = 16_000;

/** What a usage summary needs to go on: where it stopped, what it was asked, and the sums so far. */
export interface UsageProgress {
  /** The last subaccount read; the next page starts after it. */
  after: string;
  startDate: string;
  endDate: string;
  markupPercent: string;
  totals: RunningTotals;
}

const progress = z.object({
  after: accountSid,
  startDate: z.string(),
  endDate: z.string(),
  markupPercent: z.string(),
  totals: runningTotals,
});

/**
 * The cursor is input, and it carries money: it is signed (HMAC-SHA256 with a key derived from
 * REGISTRY_ENCRYPTION_KEY), so a caller cannot edit the totals it carries, and its contents are checked
 * again after the signature.
 */
export function usageCursor(config: ServiceConfig, value: UsageProgress): string {
  const payload = deflateRawSync(Buffer.from(JSON.stringify(value), 'utf8')).toString('base64url');
  const cursor = `${payload}.${signature(config, payload)}`;
  // Past the limit the next call could not send it back: fail here, loudly, rather than then.
  if (cursor.length > USAGE_CURSOR_MAX) throw new Error('The usage totals outgrew their cursor');
  return cursor;
}

/** The progress a cursor carries; a 400 naming `cursor` for one this service did not give. */
export function usageProgress(config: ServiceConfig, cursor: string): UsageProgress {
  const refused = invalidParameter('cursor', 'is not a cursor this service returned');
  const [payload, mac, ...rest] = cursor.split('.');
  if (!payload || !mac || rest.length > 0) throw refused;
  const expected = Buffer.from(signature(config, payload), 'base64url');
  const given = Buffer.from(mac, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw refused;
  try {
    return progress.parse(JSON.parse(inflateRawSync(Buffer.from(payload, 'base64url')).toString('utf8')));
  } catch {
    throw refused;
  }
}

function signature(config: ServiceConfig, payload: string): string {
  const key = Buffer.from(hkdfSync('sha256', config.registryEncryptionKey, '', 'usage-cursor', 32));
  return createHmac('sha256', key).update(payload).digest('base64url');
}
