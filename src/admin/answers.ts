/**
 * What the admin functions answer, as zod schemas: the route table (routes.ts) names them per status,
 * docs/openapi.json is generated from them, the functions' answers are type-checked against them, and
 * the typed client reads its answer types from them. A field the service answers is written here first.
 */
import { z } from 'zod';
import { accountSid, e164, identity, phoneNumberSid } from './parameters';
import { EVENT_TYPES } from '../events/event';
import { sidPattern, sidRule, type SidPrefix } from '../vocabulary';

const sid = (prefix: SidPrefix) => z.string().regex(sidPattern(prefix), `must be ${sidRule(prefix)}`);
const timestamp = z.string().meta({ format: 'date-time' });
const date = z.string().meta({ format: 'date', description: 'YYYY-MM-DD' });
const cursor = z
  .string()
  .meta({ description: 'Pass as `cursor` for the next page; absent on the last page.' });

export const subaccountStatus = z.enum(['provisioning', 'active', 'suspended', 'closed', 'deleted']);

export const registeredNumber = z.object({ sid: phoneNumberSid, phoneNumber: e164 });

/** A registry item as admins see it: never a key secret; `revision` for a later `ifRevision`. */
export const subaccount = z.object({
  sid: accountSid,
  friendlyName: z.string(),
  status: subaccountStatus,
  twimlAppSid: sid('AP').nullable(),
  numbers: z.array(registeredNumber),
  callerId: e164.nullable(),
  inboundRouting: z.record(e164, z.array(identity)),
  recording: z.boolean(),
  voicemail: z.boolean(),
  allowedPrefixes: z.array(z.string()),
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
  revision: z.string(),
});

export type SubaccountView = z.output<typeof subaccount>;

const withSubaccount = z.object({ subaccount });

/** What /admin/health says of a secret: never any of its characters, only that it is there and well-formed. */
const secretState = z.object({
  configured: z.literal(true),
  wellFormed: z.literal(true),
  /** The shape it was checked against. */
  shape: z.string(),
});

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
  twimlApp: z.object({ sid: sid('AP'), voiceUrl: z.string().nullable() }).nullable(),
  apiKeyExists: z.boolean(),
});

export type LiveState = z.output<typeof liveState>;

/** `live` is null once Twilio has deleted the subaccount (status `deleted`). */
export const getAnswer = withSubaccount.extend({ live: liveState.nullable() });

export const subaccountAnswer = withSubaccount;

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
  'number_missing',
  'number_unregistered',
  'number_not_on_app',
  'retired_key_due',
  'subaccount_deleted',
  'registry_previous_layout',
  'auth_token_outdated',
]);

export const drift = z.object({
  code: driftCode,
  message: z.string(),
  /** Set when `repair` fixed it. */
  repaired: z.boolean().optional(),
});

export type Drift = z.output<typeof drift>;

export const checkOneAnswer = withSubaccount.extend({ inStep: z.boolean(), drift: z.array(drift) });

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

export const subaccountUsageAnswer = z.object({
  subaccountSid: accountSid,
  startDate: date,
  endDate: date,
  ...money,
  categories: z.array(
    z.object({
      category: z.string(),
      description: z.string().nullable(),
      count: z.string().nullable(),
      countUnit: z.string().nullable(),
      usage: z.string().nullable(),
      usageUnit: z.string().nullable(),
      price: z.number(),
    }),
  ),
});

export const usageSummaryAnswer = z.object({
  startDate: date,
  endDate: date,
  subaccounts: z.array(
    z.object({
      subaccountSid: accountSid,
      friendlyName: z.string(),
      status: subaccountStatus,
      /** Null for a subaccount Twilio has deleted: there is no usage left to read. */
      currency: z.string().nullable(),
      totalPrice: z.number().nullable(),
      deletedAt: timestamp.nullable().optional(),
    }),
  ),
  /** Subaccounts whose usage could not be read in time: read them one by one. */
  pending: z.array(accountSid),
  nextCursor: cursor.optional(),
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
  nextCursor: cursor.optional(),
});

/**
 * The one error body of every admin answer. Besides code and message, an error may carry what helps to
 * act on it: the parameter at fault, the idempotency key to retry with, Twilio's own code.
 */
export const errorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    parameter: z.string().optional(),
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
