/**
 * The registry's items as stored in Sync, validated on every read and every write: the layout of
 * layout.ts (a directory summary, an `account` item and one item per number), each carrying its
 * `schema` version.
 *
 * Everything that could grow inside an item has a cap, so that no item can reach Sync's 16 KiB item
 * limit (error 54006, https://www.twilio.com/docs/api/errors/54006): the largest `account` item (10
 * retiring keys, every country and number type, 64-character names) is under 6 KiB, and a number item with 20 identities of 121 characters about 2.6 KiB (test/registry/item-sizes.test.ts writes
 * them). Numbers are items of their own, so no item grows with how many a subaccount holds.
 */
import { z } from 'zod';
import { ServiceError } from '../errors/service-error';
import { invalidItem } from './item-errors';
import { readPrefixesAsCountries } from './dialling-prefix-migration';
import { REGISTRY_SCHEMA_VERSION } from './layout';
import { SUBACCOUNT_STATUSES, TENANT_KINDS } from './types';
import { DIAL_PREFIX, E164, sidPattern, VOICE_IDENTITY, type SidPrefix } from '../vocabulary';
import { isKnownCountry, NUMBER_TYPES } from '../toll-fraud/destination-guard';

/** Replaced keys waiting out the longest token lifetime; rotate-key refuses to retire more at once. */
export const MAX_RETIRING_KEYS = 10;
/** More than the countries libphonenumber knows (about 245), so any set of them fits. */
export const MAX_ALLOWED_COUNTRIES = 300;
/** The cap releases before the country guard held `allowedPrefixes` to. */
const MAX_ALLOWED_PREFIXES = 20;
export const MAX_IDENTITIES_PER_NUMBER = 20;
/**
 * Numbers moved out whose routing a subaccount keeps for their return, each an item of its Map: past
 * this the oldest is forgotten, so a record read lists at most one more page of 100 items for them.
 */
export const MAX_AWAY_NUMBERS = 100;
/**
 * Numbers a connect may point at the account's App, with their previous voice settings kept in the
 * `account` item: 10 with 512-character URLs add about 6.5 KiB, keeping the item under 16 KiB.
 */
export const MAX_POINTED_NUMBERS = 10;
/** Twilio's own limit on a Sync item's data (bytes of its JSON). */
export const MAX_ITEM_BYTES = 16 * 1024;

const sidOf = (prefix: SidPrefix) => z.string().regex(sidPattern(prefix));
const text = (max: number) => z.string().max(max);
const timestamp = z.string().min(1).max(40);
const e164 = z.string().regex(E164);
const identity = z.string().regex(VOICE_IDENTITY);
const reference = z.string().min(1).max(64);

const encryptedSecret = z.object({
  alg: z.literal('A256GCM'),
  kid: text(16).optional(),
  iv: text(64),
  tag: text(64),
  data: text(512),
});

const apiKeyRef = z.object({ sid: reference, secret: encryptedSecret, createdAt: timestamp });

/** Fields of the `account` item, each capped. */
const coreFields = {
  sid: sidOf('AC'),
  friendlyName: text(64),
  status: z.enum(SUBACCOUNT_STATUSES),
  apiKey: apiKeyRef.nullable(),
  retiringApiKeys: z.array(apiKeyRef.extend({ retireAfter: timestamp })).max(MAX_RETIRING_KEYS),
  twimlAppSid: reference.nullable(),
  callerId: e164.nullable(),
  recording: z.boolean(),
  voicemail: z.boolean().optional(),
  recordingRetentionDays: z.number().int().min(1).max(3650).nullable().optional(),
  /** The toll-fraud guard (toll-fraud/destination-guard.ts); absent: the default (toll-fraud/calling-policy.ts). */
  allowedCountries: z.array(z.string().refine(isKnownCountry)).max(MAX_ALLOWED_COUNTRIES).optional(),
  blockedNumberTypes: z.array(z.enum(NUMBER_TYPES)).max(NUMBER_TYPES.length).optional(),
  messagingServiceSid: reference.nullable(),
  idempotencyKey: text(64).nullable(),
  authToken: encryptedSecret.optional(),
  createdAt: timestamp,
  updatedAt: timestamp,
  deletedAt: timestamp.optional(),
  provisioning: z
    .object({ missing: z.array(text(64)).max(20), reason: text(1000) })
    .nullable()
    .optional(),
  kind: z.enum(TENANT_KINDS).optional(),
  connection: z
    .object({
      connectedAt: timestamp,
      pointedNumbers: z
        .array(
          z.object({
            sid: sidOf('PN'),
            phoneNumber: e164,
            voiceUrl: text(512).nullable(),
            voiceMethod: text(8).nullable(),
            voiceApplicationSid: reference.nullable(),
          }),
        )
        .max(MAX_POINTED_NUMBERS),
      credentialsRejected: z.object({ at: timestamp, code: z.number().int() }).nullable(),
      disconnectedAt: timestamp.optional(),
    })
    .optional(),
};

/**
 * The bounded core of a subaccount (`account` item). Loose: a field a newer release adds survives a
 * write by this one. `allowedPrefixes`, which releases before the country guard wrote, is read as
 * `allowedCountries` (dialling-prefix-migration.ts) and so is gone from the item's next write.
 */
export const accountItemSchema = z
  .looseObject({
    schema: z.literal(REGISTRY_SCHEMA_VERSION),
    ...coreFields,
    allowedPrefixes: z.array(z.string().regex(DIAL_PREFIX)).max(MAX_ALLOWED_PREFIXES).optional(),
    /**
     * The caller ID's country, worked out when the item is written (layout.ts `splitRecord`), so
     * the default calling policy (toll-fraud/calling-policy.ts) needs no numbering metadata on the hot
     * paths. Absent in items written before it was kept: then worked out when read.
     */
    callerCountry: z.string().refine(isKnownCountry).optional(),
  })
  .transform(readPrefixesAsCountries);
export type AccountItem = z.output<typeof accountItemSchema>;

/** One number of the subaccount (key: its E.164 number), with the identities it rings when routed. */
export const numberItemSchema = z.object({
  schema: z.literal(REGISTRY_SCHEMA_VERSION),
  sid: sidOf('PN'),
  phoneNumber: e164,
  /** Present when inbound calls to it are routed (possibly to nobody). */
  identities: z.array(identity).max(MAX_IDENTITIES_PER_NUMBER).optional(),
  /**
   * Set when the number moved out (numbers/transfer): the subaccount no longer holds it, and its
   * `identities` wait for its return (types.ts `AwayRouting`). Such an item routes nothing.
   */
  leftAt: timestamp.optional(),
});
export type NumberItem = z.output<typeof numberItemSchema>;

/** What `list` and the sweeps of check and usage page through: one small item per subaccount. */
export const directoryItemSchema = z.looseObject({
  schema: z.literal(REGISTRY_SCHEMA_VERSION),
  sid: sidOf('AC'),
  friendlyName: text(64),
  status: z.enum(SUBACCOUNT_STATUSES),
  numberCount: z.number().int().min(0),
  createdAt: timestamp,
  /** Status `deleted`: when Twilio was found to have deleted it, for usage pages to report. */
  deletedAt: timestamp.optional(),
  /** `connected` for a customer's own account (absent: a subaccount), for sweeps that skip those. */
  kind: z.enum(TENANT_KINDS).optional(),
  /**
   * The version (item-seal.ts) of the `account` item written with this summary: an `account` item
   * older than it is a restored copy and is refused.
   */
  accountVersion: z.number().int().positive().optional(),
  /**
   * The version of the `account` item that write replaced: while the subaccount's operation record is
   * still in progress, an `account` item at exactly this version is a write cut short, which the
   * operation's retry finishes, not a restored copy.
   */
  priorAccountVersion: z.number().int().positive().optional(),
});
export type DirectoryItem = z.output<typeof directoryItemSchema>;

/**
 * Parses an item or refuses it, naming it (`map/key`): a registry item that does not parse, whose key
 * and SID disagree, or whose status the service does not know is never acted on.
 */
export function parseItem<S extends z.ZodType>(
  schema: S,
  data: unknown,
  item: string,
  keyMatches: (parsed: z.output<S>) => boolean,
): z.output<S> {
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw invalidItem(item, `${issue?.path.join('.') || 'data'}: ${issue?.message ?? 'does not parse'}`);
  }
  if (!keyMatches(parsed.data)) throw invalidItem(item, 'its key and the SID it holds disagree');
  return parsed.data;
}

export { invalidItem };

/** Room its seal takes in an item (item-seal.ts: `"_seal"` with a key id, a version and a MAC, ~110 bytes). */
const SEAL_BYTES = 160;

/** Refuses an item Sync would refuse (54006), seal included, before anything is written. */
export function requireItemFits(item: string, data: unknown): void {
  const bytes = Buffer.byteLength(JSON.stringify(data), 'utf8') + SEAL_BYTES;
  if (bytes > MAX_ITEM_BYTES) {
    throw new ServiceError(
      500,
      'registry_item_too_large',
      `Registry item ${item} would hold ${bytes} bytes, over Sync's ${MAX_ITEM_BYTES}; nothing was written.`,
      { item },
    );
  }
}
