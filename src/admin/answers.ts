/**
 * What the admin functions answer, as zod schemas: the route table (routes/index.ts) names them per status,
 * docs/openapi.json is generated from them, the functions' answers are type-checked against them, and
 * the typed client reads its answer types from them. A field the service answers is written here first.
 */
import { z } from 'zod';
import { accountSid, e164, identity, phoneNumberSid } from './parameters';
import { EVENT_TYPES } from '../events/event';
import { SUBACCOUNT_STATUSES, TENANT_KINDS } from '../registry/types';
import { sidPattern, sidRule, type SidPrefix } from '../vocabulary';
import { NUMBER_TYPES } from '../toll-fraud/destination-guard';

const sid = (prefix: SidPrefix) => z.string().regex(sidPattern(prefix), `must be ${sidRule(prefix)}`);
const timestamp = z.string().meta({ format: 'date-time' });
const date = z.string().meta({ format: 'date', description: 'YYYY-MM-DD' });
const cursor = z
  .string()
  .meta({ description: 'Pass as `cursor` for the next page; absent on the last page.' });

export const subaccountStatus = z.enum(SUBACCOUNT_STATUSES);

/** `subaccount`: one of the main account's; `connected`: a customer's own account (docs/admin.md). */
export const tenantKind = z.enum(TENANT_KINDS);

export const registeredNumber = z.object({ sid: phoneNumberSid, phoneNumber: e164 });

/** A number's voice setting before connect pointed it at our App; disconnect puts it back. */
const voiceSetting = z.object({
  voiceUrl: z.string().nullable(),
  voiceMethod: z.string().nullable(),
  voiceApplicationSid: sid('AP').nullable(),
});

/** What a connected account's item keeps besides a subaccount's; null for a subaccount. */
const connection = z.object({
  connectedAt: timestamp,
  pointedNumbers: z.array(registeredNumber.extend({ before: voiceSetting })),
  /** When Twilio first refused the auth token held for it: update-credentials clears it. */
  credentialsRejected: z.object({ at: timestamp, code: z.number().int() }).nullable(),
  disconnectedAt: timestamp.optional(),
});

/** A registry item as admins see it: never a key secret; `revision` for a later `ifRevision`. */
export const subaccount = z.object({
  sid: accountSid,
  kind: tenantKind,
  friendlyName: z.string(),
  status: subaccountStatus,
  twimlAppSid: sid('AP').nullable(),
  numbers: z.array(registeredNumber),
  callerId: e164.nullable(),
  inboundRouting: z.record(e164, z.array(identity)),
  recording: z.boolean(),
  voicemail: z.boolean(),
  /** Recordings older than this many days are deleted by `check` with `repair`; null: kept. */
  recordingRetentionDays: z.number().int().nullable(),
  /** ISO 3166 alpha-2 countries browser calls may reach (default: the caller ID's country, else US). */
  allowedCountries: z.array(z.string()),
  /** Number types browser calls may not reach, as libphonenumber classifies them. */
  blockedNumberTypes: z.array(z.enum(NUMBER_TYPES)),
  messagingServiceSid: sid('MG').nullable(),
  idempotencyKey: z.string().nullable(),
  createdAt: timestamp,
  updatedAt: timestamp,
  /** What a create that stopped part-way has not made yet, and why; null once complete. */
  provisioning: z.object({ missing: z.array(z.string()), reason: z.string() }).nullable(),
  /** When Twilio was found to have deleted it (status `deleted`). */
  deletedAt: timestamp.optional(),
  apiKeySid: sid('SK').nullable(),
  retiringApiKeys: z.array(z.object({ sid: sid('SK'), retireAfter: timestamp })),
  connection: connection.nullable(),
  revision: z.string(),
});

export type SubaccountView = z.output<typeof subaccount>;

const withSubaccount = z.object({ subaccount });

/**
 * What /admin/health says of a secret: the shape it was checked against, never any of its characters.
 * A report exists only once every secret passed that check, so there is nothing else to say of it.
 */
const secretState = z.object({ shape: z.string() });

export const healthAnswer = z.object({
  status: z.enum(['ok', 'degraded']),
  config: z.object({
    accountSid,
    authToken: secretState,
    publicBaseUrl: z.string(),
    voiceUrl: z.string(),
    adminApiKeys: secretState.extend({ count: z.number().int() }),
    tokenTicketSecret: secretState,
    registryEncryptionKey: secretState,
    syncServiceSid: z.string(),
    allowedOrigins: z.array(z.string()),
    adminAllowedOrigins: z.array(z.string()),
    twilioApi: z.string(),
    /** Whether signed events go to the company's back-end, and where (origin and path only). */
    events: z.discriminatedUnion('configured', [
      z.object({ configured: z.literal(true), url: z.string() }),
      z.object({ configured: z.literal(false) }),
    ]),
  }),
  mainAccount: z.discriminatedUnion('reachable', [
    z.object({
      reachable: z.literal(true),
      sid: accountSid,
      status: z.string(),
      friendlyName: z.string(),
      latencyMs: z.number(),
    }),
    z.object({
      reachable: z.literal(false),
      error: z.object({ code: z.string(), message: z.string() }),
      latencyMs: z.number(),
    }),
  ]),
});

export type HealthReport = z.output<typeof healthAnswer>;

const createAnswer = <Replayed extends boolean>(replayed: Replayed) =>
  withSubaccount.extend({
    idempotencyKey: z.string(),
    /** True when an earlier call with this key had already created it all (200, not 201). */
    replayed: z.literal(replayed),
  });
export const createdAnswer = createAnswer(false);
export const createReplayedAnswer = createAnswer(true);

export const subaccountPage = z.object({ subaccounts: z.array(subaccount), nextCursor: cursor.optional() });

export const liveState = z.object({
  status: z.string(),
  friendlyName: z.string(),
  numbers: z.array(
    z.object({ sid: phoneNumberSid, phoneNumber: e164, voiceApplicationSid: sid('AP').nullable() }),
  ),
  twimlApp: z
    .object({ sid: sid('AP'), voiceUrl: z.string().nullable(), statusCallback: z.string().nullable() })
    .nullable(),
  apiKeyExists: z.boolean(),
});

export type LiveState = z.output<typeof liveState>;

/** `live` is null once Twilio has deleted the subaccount (status `deleted`). */
export const getAnswer = withSubaccount.extend({ live: liveState.nullable() });

/**
 * A change of a subaccount's settings or status, with when it is in force: the admin function that made
 * it answers once the registry holds it, and every instance of the service reads it within
 * `settlesWithinSeconds` (the most its tenant cache keeps a copy). Until then /token and calls may still
 * see the previous settings (a suspended status, an earlier routing or calling policy).
 */
export const settlingAnswer = withSubaccount.extend({
  settlesWithinSeconds: z.number().int(),
});

export const reactivateAnswer = settlingAnswer;

export const suspendAnswer = withSubaccount.extend({
  callsEnded: z.number().int(),
  /** Live calls not ended within the time budget (then the status is 202): call suspend again. */
  callsRemaining: z.number().int(),
  /** Numbers the subaccount still owns: a suspended account keeps paying for them. */
  numbersStillBilling: z.number().int(),
});

export const closedAnswer = z.object({
  subaccountSid: accountSid,
  closed: z.literal(true),
  numbersKept: z.array(registeredNumber),
  numbersReleased: z.array(registeredNumber),
});

/** Not every number could move back in time; nothing is closed yet. Call again. */
export const closingAnswer = z.object({
  subaccountSid: accountSid,
  closed: z.literal(false),
  numbersKept: z.array(registeredNumber),
  numbersRemaining: z.number().int(),
});

export const rotateKeyAnswer = withSubaccount.extend({
  idempotencyKey: z.string(),
  newKeySid: sid('SK'),
  retiringKeySid: sid('SK').nullable(),
  retireAfter: timestamp,
  /** True when an earlier call with this idempotency key had rotated the key: nothing was done now. */
  replayed: z.boolean(),
  /** Replaced keys whose tokens have all expired, deleted by this call. */
  deletedKeySids: z.array(sid('SK')),
});

export const driftCode = z.enum([
  'provisioning_unfinished',
  'status_differs',
  'api_key_missing',
  'twiml_app_missing',
  'twiml_app_voice_url',
  'twiml_app_status_callback',
  'number_missing',
  'number_unregistered',
  'number_not_on_app',
  'retired_key_due',
  'subaccount_deleted',
  'registry_previous_layout',
  'recordings_past_retention',
  'auth_token_outdated',
  'auth_token_rotated',
  'credentials_rejected',
]);

export const drift = z.object({
  code: driftCode,
  message: z.string(),
  /** Set when `repair` fixed it. */
  repaired: z.boolean().optional(),
});

export type Drift = z.output<typeof drift>;

/** A registry item whose seal `check` found wrong (docs/registry-integrity.md). */
export const registryItemFinding = z.object({
  code: z.enum(['registry_item_invalid', 'registry_key_outdated']),
  /** `map/key` */
  item: z.string(),
  message: z.string(),
  /** Set when this call re-sealed it. */
  repaired: z.boolean().optional(),
});

export const checkOneAnswer = withSubaccount.extend({
  inStep: z.boolean(),
  drift: z.array(drift),
  registryItems: z.array(registryItemFinding).optional(),
});

export const checkPageAnswer = z.object({
  subaccounts: z.array(
    z.object({
      subaccountSid: accountSid,
      friendlyName: z.string(),
      status: subaccountStatus,
      inStep: z.boolean(),
      drift: z.array(drift),
    }),
  ),
  /** Active subaccounts of the main account that the registry does not know (this page's SID range). */
  unregistered: z.array(
    z.object({ subaccountSid: accountSid, friendlyName: z.string(), message: z.string() }),
  ),
  /** False when Twilio's list of subaccounts could not be read to its end in time. */
  unregisteredComplete: z.boolean(),
  /** Registry items whose seal is wrong or old, named; each refused item is left out of `subaccounts`. */
  registryItems: z.array(registryItemFinding).optional(),
  inStep: z.boolean(),
  nextCursor: cursor.optional(),
});

export const numberPage = z.object({
  accountSid,
  numbers: z.array(
    z.object({
      sid: phoneNumberSid,
      phoneNumber: e164,
      friendlyName: z.string(),
      voiceApplicationSid: sid('AP').nullable(),
      voiceUrl: z.string().nullable(),
      addressRequirements: z.string(),
    }),
  ),
  nextCursor: cursor.optional(),
});

export const transferAnswer = z.object({
  number: registeredNumber,
  fromAccountSid: accountSid,
  toAccountSid: accountSid,
  voiceApplicationSid: sid('AP').nullable(),
  messagingServiceSid: sid('MG').nullable(),
  warnings: z.array(z.string()),
});

export const addressAnswer = z.object({
  address: z.object({
    sid: sid('AD'),
    accountSid,
    customerName: z.string(),
    street: z.string(),
    city: z.string(),
    region: z.string(),
    postalCode: z.string(),
    isoCountry: z.string(),
    friendlyName: z.string().nullable(),
  }),
  /** False when the account already had an Address with these fields: that one is answered. */
  created: z.boolean(),
});

/** One number of an adopted subaccount: where it pointed before, and what adopt does to it. */
const adoptedNumber = registeredNumber.extend({
  before: z.object({ voiceApplicationSid: sid('AP').nullable(), voiceUrl: z.string().nullable() }),
  /**
   * `point`: pointed at the subaccount's TwiML App (with `dryRun`, would be); `none`: already on it;
   * `keep`: left as it was (`keepNumberConfig`, or a number without voice).
   */
  action: z.enum(['point', 'none', 'keep']),
  /** True once this call has pointed it; false in a dry run or when the time budget ran out. */
  pointed: z.boolean(),
});

export const adoptOneAnswer = z.object({
  subaccountSid: accountSid,
  friendlyName: z.string(),
  dryRun: z.boolean(),
  /** The registry had it before this call: nothing is provisioned, numbers are pointed if needed. */
  alreadyManaged: z.boolean(),
  /** `create`: a Standard API key is made (with `dryRun`, would be); `none`: the registry has one. */
  apiKey: z.object({ action: z.enum(['create', 'none']), sid: sid('SK').nullable() }),
  /** `reuse`: an App of this service on /voice was already there; `none`: the registry has one. */
  twimlApp: z.object({ action: z.enum(['create', 'reuse', 'none']), sid: sid('AP').nullable() }),
  numbers: z.array(adoptedNumber),
  /** Numbers not pointed within the time budget: call adopt again to finish them. */
  numbersRemaining: z.number().int(),
  /** The registry item (status `active`); null in a dry run of a subaccount not yet managed. */
  subaccount: subaccount.nullable(),
});

export type Adoption = z.output<typeof adoptOneAnswer>;

export const adoptPageAnswer = z.object({
  dryRun: z.boolean(),
  /** The page's unmanaged subaccounts in SID order, each adopted (or, with `dryRun`, previewed). */
  subaccounts: z.array(adoptOneAnswer),
  /** Unmanaged subaccounts of the page that adopt refused or failed on; a next page skips them. */
  failed: z.array(z.object({ subaccountSid: accountSid, code: z.string(), message: z.string() })),
  /** False when Twilio's list of subaccounts could not be read to its end in time. */
  listComplete: z.boolean(),
  nextCursor: cursor.optional(),
});

const money = { currency: z.string(), totalPrice: z.number() };

const amount = z.string().meta({ description: 'A decimal amount, exact (e.g. "0.0085"), as a string' });
const billing = {
  markupPercent: z.string().meta({ description: 'The markup asked for, in percent ("0" without one)' }),
};
const priced = {
  /** What Twilio charges, unrounded. */
  cost: amount,
  /** `cost` plus `markupPercent`, rounded half away from zero to the currency's smallest unit. */
  billed: amount,
};

export const subaccountUsageAnswer = z.object({
  subaccountSid: accountSid,
  friendlyName: z.string(),
  status: subaccountStatus,
  /**
   * `main-account`: Twilio bills it to our main account (a subaccount); `own-account`: a connected
   * account's own bill, which Twilio sends its owner, not us.
   */
  billedTo: z.enum(['main-account', 'own-account']),
  startDate: date,
  endDate: date,
  ...billing,
  ...money,
  ...priced,
  categories: z.array(
    z.object({
      category: z.string(),
      description: z.string().nullable(),
      count: z.string().nullable(),
      countUnit: z.string().nullable(),
      usage: z.string().nullable(),
      usageUnit: z.string().nullable(),
      price: z.number(),
      ...priced,
    }),
  ),
});

const subaccountsInTotal = z.number().int().meta({ description: 'Subaccounts counted in this total' });

export const usageSummaryAnswer = z.object({
  startDate: date,
  endDate: date,
  ...billing,
  subaccounts: z.array(
    z.object({
      subaccountSid: accountSid,
      friendlyName: z.string(),
      status: subaccountStatus,
      /** Null for a subaccount Twilio has deleted: there is no usage left to read. */
      currency: z.string().nullable(),
      totalPrice: z.number().nullable(),
      cost: amount.nullable(),
      billed: amount.nullable(),
      deletedAt: timestamp.nullable().optional(),
    }),
  ),
  /** Grand totals per currency over this page and every page before it (see `complete`). */
  totals: z.array(z.object({ currency: z.string(), ...priced, subaccounts: subaccountsInTotal })),
  /** Per category and currency across subaccounts, over the same pages as `totals`. */
  byCategory: z.array(
    z.object({
      currency: z.string(),
      category: z.string(),
      description: z.string().nullable(),
      usage: amount.nullable(),
      usageUnit: z.string().nullable(),
      ...priced,
      subaccounts: subaccountsInTotal,
    }),
  ),
  /** True on the last page: `totals` and `byCategory` then cover every subaccount. */
  complete: z.boolean(),
  /** Subaccounts not read in time on this page; the next page (`nextCursor`) starts with them. */
  pending: z.array(accountSid),
  nextCursor: z
    .string()
    .meta({
      description:
        'Pass as `cursor` (with the same dates and markup) for the next page; absent on the last page.',
    })
    .optional(),
});

const keptEventSummary = {
  id: z.string().meta({ description: 'Event id (`evt_...`), the same on every delivery of the event' }),
  type: z.enum(EVENT_TYPES),
  subaccountSid: accountSid,
  created: timestamp,
};

export const redeliverAnswer = z.object({
  delivered: z.array(z.object(keptEventSummary)),
  /** Still kept after this call: delivery failed again, or the time budget ran out before trying. */
  pending: z.array(z.object({ ...keptEventSummary, attempts: z.number().int(), lastError: z.string() })),
  /**
   * Kept items never sent: their MAC does not verify (not written by this service, or changed since)
   * or they do not parse. Absent when there are none.
   */
  refused: z.array(z.object({ key: z.string(), item: z.string(), message: z.string() })).optional(),
  nextCursor: cursor.optional(),
});

/**
 * The one error body of every admin answer. Besides code and message, an error may carry what helps to
 * act on it: the parameter at fault, the idempotency key to retry with, Twilio's own code.
 */
/** A recording as admins see it: facts, never a media URL that needs Twilio credentials. */
export const recordingView = z.object({
  sid: sid('RE'),
  callSid: sid('CA'),
  /** `voicemail`: a `<Record>` message; `call`: a recorded call. */
  kind: z.enum(['call', 'voicemail']),
  /** Twilio's `source`: `RecordVerb`, `DialVerb`, ... */
  source: z.string(),
  status: z.string(),
  channels: z.number().int(),
  durationSeconds: z.number().int().nullable(),
  /** Twilio's charge, a negative decimal string; null until Twilio has priced it. */
  price: z.string().nullable(),
  priceUnit: z.string().nullable(),
  startTime: timestamp.nullable(),
  createdAt: timestamp,
});

export const recordingPage = z.object({
  subaccountSid: accountSid,
  recordings: z.array(recordingView),
  nextCursor: cursor.optional(),
});

export const recordingAnswer = z.object({
  subaccountSid: accountSid,
  recording: recordingView,
  /** A link that plays the audio without credentials until `expiresAt` (15 minutes). */
  media: z.object({ url: z.string(), expiresAt: timestamp, contentType: z.string() }),
});

export const recordingDeletedAnswer = z.object({
  subaccountSid: accountSid,
  recordingSid: sid('RE'),
  /** False when Twilio no longer had it (deleted before): the recording is gone either way. */
  deleted: z.boolean(),
  gone: z.literal(true),
});

export const callPage = z.object({
  subaccountSid: accountSid,
  calls: z.array(
    z.object({
      sid: sid('CA'),
      /** Set on a leg a `<Dial>` made (direction `outbound-dial`): the call it belongs to. */
      parentCallSid: sid('CA').nullable(),
      from: z.string(),
      to: z.string(),
      /** The browser identity on either end (`client:alice` → `alice`), if any. */
      identity: z.string().nullable(),
      direction: z.string(),
      startTime: timestamp.nullable(),
      durationSeconds: z.number().int().nullable(),
      status: z.string(),
      /** Twilio's charge, a negative decimal string; null until Twilio has priced the call. */
      price: z.string().nullable(),
      priceUnit: z.string().nullable(),
      recordingSids: z.array(sid('RE')),
    }),
  ),
  /** False when the calls' time span held more recordings than one request reads: some SIDs may lack. */
  recordingSidsComplete: z.boolean(),
  nextCursor: cursor.optional(),
});

export const errorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    parameter: z.string().optional(),
    /** unknown_parameter: the known name closest to the unknown one, when one is close. */
    didYouMean: z.string().optional(),
    idempotencyKey: z.string().optional(),
    revision: z.string().optional(),
    key: z.string().optional(),
    retryAfterSeconds: z.number().optional(),
    /** subaccount_busy: the lifecycle change under way. */
    operation: z.string().optional(),
    /** registry_item_invalid: the Sync Map and key of the item to correct or remove. */
    item: z.string().optional(),
    /** too_many_retiring_keys: when the oldest replaced key retires and makes room. */
    retryAfter: timestamp.optional(),
    twilioCode: z.number().optional(),
    twilioStatus: z.number().optional(),
    variables: z.array(z.string()).optional(),
    /** subaccount_incomplete: what was made, what it lacks, and the code of what stopped it. */
    subaccountSid: accountSid.optional(),
    provisioning: z.object({ missing: z.array(z.string()), reason: z.string() }).optional(),
    cause: z.string().optional(),
    /** address_required: what the number needs (Twilio's `address_requirements`). */
    addressRequirements: z.string().optional(),
    /** address_required / address_not_compliant: the need, and (a transfer's) the Addresses that meet it. */
    requirement: z.string().optional(),
    isoCountry: z.string().nullable().optional(),
    compliantAddressSids: z.array(sid('AD')).optional(),
    deletedAt: timestamp.nullable().optional(),
  }),
});
