/**
 * The route table of the admin API: every `/admin/...` function with its parameter schema (the one that
 * validates its input), its answer schema per success status, and the error codes it can answer. The
 * functions in src/functions/admin are built on it (admin-route.ts, beside it), docs/openapi.json is
 * generated from it (`npm run openapi`), and the typed client (src/client/admin-client.ts) reads its
 * types from it. Adding a function: one entry here, one thin file under src/functions/admin.
 */
import { z } from 'zod';
import {
  adoptOneAnswer,
  adoptPageAnswer,
  checkOneAnswer,
  checkPageAnswer,
  closedAnswer,
  closingAnswer,
  createdAnswer,
  createReplayedAnswer,
  getAnswer,
  healthAnswer,
  numberPage,
  reactivateAnswer,
  redeliverAnswer,
  callPage,
  recordingAnswer,
  recordingDeletedAnswer,
  recordingPage,
  rotateKeyAnswer,
  settlingAnswer,
  addressAnswer,
  subaccountPage,
  subaccountUsageAnswer,
  suspendAnswer,
  transferAnswer,
  usageSummaryAnswer,
} from '../answers';
import { listNumbersParameters } from '../numbers/list';
import { transferParameters } from '../numbers/transfer';
import { adoptParameters } from '../subaccounts/adoption/adopt';
import { checkParameters } from '../check/check';
import { closeParameters } from '../subaccounts/close';
import { createParameters } from '../subaccounts/create';
import { subaccountParameters } from '../subaccounts/get';
import { listParameters } from '../subaccounts/list';
import { rotateKeyParameters } from '../subaccounts/rotate-key';
import { updateParameters } from '../subaccounts/update';
import { addAddressParameters } from '../numbers/add-address';
import { usageParameters } from '../usage/usage';
import { redeliverParameters } from '../../events/redeliver';
import { listCallsParameters } from '../calls/list';
import { getRecordingParameters, recordingParameters } from '../recordings/get';
import { listRecordingsParameters } from '../recordings/list';
import {
  connectedAnswer,
  connectPlanAnswer,
  disconnectAnswer,
  testCallTicketAnswer,
  updateCredentialsAnswer,
} from '../accounts/answers';
import { connectParameters } from '../accounts/connect';
import { disconnectParameters } from '../accounts/disconnect';
import { updateCredentialsParameters } from '../accounts/update-credentials';
import { testCallTicketParameters } from '../accounts/test-call-ticket';

/**
 * The HTTP status of each error code. A code with several statuses takes the status of its cause:
 * `subaccount_incomplete` (a create that stopped part-way) is answered with the status of what stopped it.
 */
export const ADMIN_ERROR_STATUS = {
  invalid_parameter: 400,
  unknown_parameter: 400,
  address_required: 400,
  unauthorized: 401,
  origin_not_allowed: 403,
  subaccount_not_found: 404,
  not_a_subaccount: 404,
  not_found: 404,
  twilio_not_found: 404,
  subaccount_closed: 409,
  subaccount_not_active: 409,
  subaccount_busy: 409,
  revision_conflict: 409,
  idempotency_key_reused: 409,
  create_in_progress: 409,
  number_gone: 409,
  no_number_available: 409,
  twilio_refused: 409,
  internal_error: 500,
  configuration_invalid: 500,
  twilio_unavailable: 502,
  twilio_credentials_refused: 502,
  twilio_unreachable: 502,
  twilio_rate_limited: 503,
  out_of_time: 503,
  twilio_timeout: 504,
  subaccount_incomplete: [400, 409, 500, 502, 503, 504],
  subaccount_deleted: 410,
  address_not_compliant: 400,
  too_many_retiring_keys: 409,
  numbers_still_arriving: 409,
  registry_item_invalid: 500,
  registry_item_too_large: 500,
  subaccount_provisioning: 409,
  events_not_configured: 409,
  credentials_rejected: [400, 403],
  account_is_main: 409,
  subaccount_of_ours: 409,
  account_already_registered: 409,
  account_not_active: 409,
  account_not_connected: 404,
  account_disconnected: 409,
  not_allowed_for_connected_account: 409,
} as const;

export type AdminErrorCode = keyof typeof ADMIN_ERROR_STATUS;

/** What any admin function may answer: a refused key or origin, bad input, a broken deployment. */
const EVERY_FUNCTION: AdminErrorCode[] = [
  'invalid_parameter',
  'unknown_parameter',
  'unauthorized',
  'origin_not_allowed',
  'internal_error',
  'configuration_invalid',
];
/** What a function that calls Twilio (the registry is in Twilio Sync) may pass on. */
const TWILIO: AdminErrorCode[] = [
  'registry_item_invalid',
  'registry_item_too_large',
  'twilio_not_found',
  'twilio_refused',
  'twilio_unavailable',
  'twilio_credentials_refused',
  'twilio_unreachable',
  'twilio_rate_limited',
  'twilio_timeout',
];
/** A registry item rewritten after a read: it vanished, or others kept changing it. */
const REGISTRY_WRITE: AdminErrorCode[] = ['not_found', 'revision_conflict'];
/** A function that changes one existing subaccount's lifecycle or settings. */
const ON_ONE_SUBACCOUNT: AdminErrorCode[] = [
  'subaccount_not_found',
  'not_allowed_for_connected_account',
  'subaccount_closed',
  'subaccount_busy',
  'subaccount_provisioning',
  'subaccount_deleted',
  ...REGISTRY_WRITE,
];

/** Success answers by HTTP status (each a zod schema of the JSON body). */
type Answers = Readonly<Partial<Record<200 | 201 | 202 | 503, z.ZodType>>>;

export interface AdminRoute<Parameters extends z.ZodObject = z.ZodObject, A extends Answers = Answers> {
  summary: string;
  description: string;
  parameters: Parameters;
  answers: A;
  errors: readonly AdminErrorCode[];
  /** A 200 answered as text instead of JSON when the parameters ask for it (the usage CSV). */
  text?: TextAnswerDescription;
}

export interface TextAnswerDescription {
  mediaType: string;
  description: string;
}

const route = <P extends z.ZodObject, A extends Answers>(definition: AdminRoute<P, A>) => definition;

/** A route that can also answer its 200 as text (admin-route.ts, TextAnswer). */
const withText = <R extends AdminRoute>(definition: R, text: TextAnswerDescription) => ({
  ...definition,
  text,
});

const errors = (...groups: AdminErrorCode[][]): readonly AdminErrorCode[] => [
  ...new Set([...EVERY_FUNCTION, ...groups.flat()]),
];

export const adminRoutes = {
  '/admin/health': route({
    summary: 'Configuration summary and whether the main account answers',
    description:
      'Secrets are masked. 503 (same body, `status: degraded`) when the main account cannot be reached or is not active.',
    parameters: z.object({}),
    answers: { 200: healthAnswer, 503: healthAnswer },
    errors: errors(),
  }),
  '/admin/subaccounts/create': route({
    summary: 'Create a subaccount with API key, TwiML App, optional number and Messaging Service',
    description:
      'Idempotent by `idempotencyKey` (generated and answered when none is sent): 201 when made now, 200 with `replayed: true` when an earlier call with the key made it.',
    parameters: createParameters,
    answers: { 201: createdAnswer, 200: createReplayedAnswer },
    errors: errors(TWILIO, REGISTRY_WRITE, [
      'address_required',
      'address_not_compliant',
      'idempotency_key_reused',
      'create_in_progress',
      'subaccount_closed',
      'number_gone',
      'no_number_available',
      'subaccount_incomplete',
      'subaccount_busy',
    ]),
  }),
  '/admin/subaccounts/list': route({
    summary: 'Registry items by status and name, a page at a time',
    description: 'In SID order; `nextCursor` continues the search where it stopped.',
    parameters: listParameters,
    answers: { 200: subaccountPage },
    errors: errors(TWILIO),
  }),
  '/admin/subaccounts/get': route({
    summary: 'The registry item and the live Twilio state of one subaccount',
    description: '`live` is what Twilio says now; `check` lists where the two differ.',
    parameters: subaccountParameters,
    answers: { 200: getAnswer },
    errors: errors(TWILIO, ['subaccount_not_found', 'subaccount_deleted']),
  }),
  '/admin/subaccounts/update': route({
    summary:
      'Change name, caller ID, inbound routing, recording, voicemail, the countries and number types it may call, or Messaging Service',
    description:
      '`ifRevision` refuses the change with 409 `revision_conflict` when the item changed since. `messagingService: true` makes its Messaging Service and adds its numbers, `false` takes them out and deletes it; 503 `out_of_time` when not every number was done: call again. The change is in force on every instance of the service within `settlesWithinSeconds`; until then calls and tokens may still follow the previous settings.',
    parameters: updateParameters,
    answers: { 200: settlingAnswer },
    errors: errors(TWILIO, ON_ONE_SUBACCOUNT, ['out_of_time']),
  }),
  '/admin/subaccounts/suspend': route({
    summary: "Suspend on Twilio, then end the subaccount's live calls",
    description: '202 when some calls are still live after the time budget: call it again to end them.',
    parameters: subaccountParameters,
    answers: { 200: suspendAnswer, 202: suspendAnswer },
    errors: errors(TWILIO, ON_ONE_SUBACCOUNT),
  }),
  '/admin/subaccounts/reactivate': route({
    summary: 'Make a suspended subaccount active again',
    description:
      'Its numbers and key are still in place. Tokens and calls may be refused for `settlesWithinSeconds` more, until every instance has read the change.',
    parameters: subaccountParameters,
    answers: { 200: reactivateAnswer },
    errors: errors(TWILIO, ON_ONE_SUBACCOUNT),
  }),
  '/admin/subaccounts/close': route({
    summary: 'Numbers back to the main account (unless `releaseNumbers`), then close for good',
    description:
      '202 (`closed: false`) when not every number moved back within the time budget: nothing is closed yet; call it again.',
    parameters: closeParameters,
    answers: { 200: closedAnswer, 202: closingAnswer },
    errors: errors(TWILIO, ON_ONE_SUBACCOUNT, ['numbers_still_arriving']),
  }),
  '/admin/subaccounts/rotate-key': route({
    summary: 'A new API key now, once per `idempotencyKey`; the old one retires later',
    description:
      'The old key moves to `retiringApiKeys` until every token signed with it has expired (24 h).',
    parameters: rotateKeyParameters,
    answers: { 200: rotateKeyAnswer },
    errors: errors(TWILIO, ON_ONE_SUBACCOUNT, ['too_many_retiring_keys']),
  }),
  '/admin/subaccounts/check': route({
    summary: 'Every drift between the registry and Twilio; `repair: true` fixes it',
    description:
      "With `subaccountSid`, that subaccount; without, a page of the whole registry (`pageSize`, `cursor`). A repair holds the subaccount's operation record like any change: with `subaccountSid`, 409 `subaccount_busy` while another change runs; in a page, that subaccount's drift is reported unrepaired for the next sweep.",
    parameters: checkParameters,
    answers: { 200: z.union([checkOneAnswer, checkPageAnswer]) },
    errors: errors(TWILIO, REGISTRY_WRITE, ['subaccount_not_found', 'out_of_time', 'subaccount_busy']),
  }),
  '/admin/subaccounts/adopt': route({
    summary: 'Bring an existing subaccount of the main account under this service',
    description:
      "With `subaccountSid`: API key and TwiML App made where missing, voice numbers pointed at the App (unless `keepNumberConfig`), each number answered with the Voice URL or App it had before, registry item `active`; idempotent, and held by the subaccount's operation record (409 `subaccount_busy` while another change runs; a retry resumes; with `idempotencyKey`, a retry is answered as the first call, `replayed`). Without: a page of the active subaccounts the registry lacks, each adopted (`pageSize`, `cursor`). `dryRun: true` answers the same and changes nothing.",
    parameters: adoptParameters,
    answers: { 200: z.union([adoptOneAnswer, adoptPageAnswer]) },
    errors: errors(TWILIO, REGISTRY_WRITE, [
      'not_a_subaccount',
      'subaccount_closed',
      'subaccount_not_active',
      'subaccount_provisioning',
      'subaccount_busy',
      'idempotency_key_reused',
      'out_of_time',
    ]),
  }),
  '/admin/accounts/connect': route({
    summary:
      "Connect a customer's own Twilio account: API key, TwiML App and chosen numbers, with its own credentials",
    description:
      'The SID and auth token are checked with one request to Twilio (400 `credentials_rejected` with `twilioCode` when refused; 409 for our main account, a subaccount of it, or an account the registry has). `phoneNumberSids` are pointed at the App, each one\'s voice setting kept for disconnect. `dryRun: true` answers the plan and changes nothing. Idempotent by `idempotencyKey`: 201 when connected now, 200 `replayed` when an earlier call with the key did. See docs/admin.md, "Subaccounts or connected accounts".',
    parameters: connectParameters,
    answers: { 201: connectedAnswer, 200: z.union([connectedAnswer, connectPlanAnswer]) },
    errors: errors(TWILIO, REGISTRY_WRITE, [
      'credentials_rejected',
      'account_is_main',
      'subaccount_of_ours',
      'account_already_registered',
      'account_not_active',
      'subaccount_busy',
      'idempotency_key_reused',
    ]),
  }),
  '/admin/accounts/update-credentials': route({
    summary: "Replace a connected account's auth token after its owner changed it",
    description:
      'Checked with Twilio first (400 `credentials_rejected` changes nothing); in force on every instance within `settlesWithinSeconds`, and a recorded refusal of the old token is cleared.',
    parameters: updateCredentialsParameters,
    answers: { 200: updateCredentialsAnswer },
    errors: errors(TWILIO, REGISTRY_WRITE, [
      'credentials_rejected',
      'account_not_connected',
      'account_disconnected',
      'subaccount_not_found',
      'subaccount_busy',
    ]),
  }),
  '/admin/accounts/disconnect': route({
    summary: 'Stop serving a connected account: numbers restored, our App and API key deleted',
    description:
      '`confirm` repeats `accountSid`. Each number connect pointed gets back the voice setting it had (unless its owner changed it since); nothing else in the account is touched; the registry item says `disconnected` and holds no token. 403 `credentials_rejected` when Twilio refuses the token held: update the credentials first.',
    parameters: disconnectParameters,
    answers: { 200: disconnectAnswer },
    errors: errors(TWILIO, REGISTRY_WRITE, [
      'credentials_rejected',
      'account_not_connected',
      'subaccount_not_found',
      'subaccount_busy',
    ]),
  }),
  '/admin/accounts/test-call-ticket': route({
    summary: "A two-minute ticket for a test call in the tenant's own softphone",
    description:
      'For the identity `console_test_call`, which no inbound routing rings. The admin console opens `/softphone.html` with it after update-credentials, so the test call goes through /token and /voice as a customer\'s calls do. The ticket is answered to the admin key holder once; it is never logged. See docs/admin.md, "Subaccounts or connected accounts".',
    parameters: testCallTicketParameters,
    answers: { 200: testCallTicketAnswer },
    errors: errors(TWILIO, ['subaccount_not_found', 'subaccount_not_active']),
  }),
  '/admin/numbers/list': route({
    summary: 'Numbers of the main account or of one subaccount, a page at a time',
    description: 'With where each one rings (`voiceApplicationSid`, `voiceUrl`).',
    parameters: listNumbersParameters,
    answers: { 200: numberPage },
    errors: errors(TWILIO),
  }),
  '/admin/numbers/transfer': route({
    summary: 'Move a number between the main account and subaccounts',
    description: 'Refused before any change when the gaining account lacks an Address the number requires.',
    parameters: transferParameters,
    answers: { 200: transferAnswer },
    errors: errors(TWILIO, REGISTRY_WRITE, [
      'address_required',
      'address_not_compliant',
      'subaccount_not_active',
      'subaccount_busy',
      'not_allowed_for_connected_account',
    ]),
  }),
  '/admin/addresses/create': route({
    summary: 'Add an Address to the main account or a subaccount, for numbers that need one',
    description:
      "The Address a number's `addressRequirements` asks for when it is bought into or transferred to the account (Twilio's CreateAddress fields). Retry-safe: an Address of the account with the same fields is answered (200, `created: false`) instead of a second one (201).",
    parameters: addAddressParameters,
    answers: { 200: addressAnswer, 201: addressAnswer },
    errors: errors(TWILIO),
  }),
  '/admin/usage': withText(
    route({
      summary:
        "One subaccount's usage by category, or a page of totals across subaccounts with grand totals; as JSON or CSV, with a markup",
      description:
        'The summary carries its grand totals (`totals` per currency, `byCategory`) from page to page in `nextCursor`; `complete` marks the page that ends them. Subaccounts not read in time are listed in `pending` and the next page starts with them. Amounts are decimal strings: `cost` is what Twilio charges, `billed` adds `markupPercent`, rounded to the cent (docs/admin.md).',
      parameters: usageParameters,
      answers: { 200: z.union([subaccountUsageAnswer, usageSummaryAnswer]) },
      errors: errors(TWILIO, ['subaccount_not_found', 'subaccount_deleted']),
    }),
    {
      mediaType: 'text/csv',
      description:
        'With `format: "csv"`: one row per subaccount and category and a `totalprice` row per subaccount (RFC 4180, a header row on the first page only), as an attachment named `usage-<startDate>-to-<endDate>.csv`; the `Next-Cursor` header, when present, continues it.',
    },
  ),
  '/admin/events/redeliver': route({
    summary: 'Send the events the back-end did not receive again, oldest first',
    description:
      'A page of kept events (`pageSize`, `cursor`), or the one named by `eventId`; delivered ones are removed. Events are kept a week. See docs/events.md.',
    parameters: redeliverParameters,
    answers: { 200: redeliverAnswer },
    errors: errors(TWILIO, ['not_found', 'events_not_configured']),
  }),
  '/admin/recordings/list': route({
    summary: "A page of a subaccount's call recordings and voicemail, newest first",
    description:
      'Filters: `callSid`, `startDate`/`endDate` (UTC days, inclusive), `kind` (`call` or `voicemail`; applied to each page Twilio answers, so a page may be short while `nextCursor` goes on). Pass the same filters with `cursor`.',
    parameters: listRecordingsParameters,
    answers: { 200: recordingPage },
    errors: errors(TWILIO, ['subaccount_not_found', 'account_disconnected']),
  }),
  '/admin/recordings/get': route({
    summary: 'A recording, with a signed link that plays it for 15 minutes without Twilio credentials',
    description:
      "`media.url` is this service's `/recording-media`, signed (HMAC) and expiring; it fetches the audio (`format`: `wav`, the default, or `mp3`) from Twilio with the credentials that reach it (the main account's for a subaccount, a connected account's own) and answers it as `audio/wav` or `audio/mpeg` with `X-Content-Type-Options: nosniff`. Recordings over 20 MiB are refused there (413 `media_too_large`), counted on the bytes received; a link of a subaccount that is not active is refused (403 `subaccount_not_active`). A closed subaccount gets no links (409 `subaccount_closed`).",
    parameters: getRecordingParameters,
    answers: { 200: recordingAnswer },
    errors: errors(TWILIO, ['subaccount_not_found', 'account_disconnected', 'subaccount_closed']),
  }),
  '/admin/recordings/delete': route({
    summary: 'Delete a recording on Twilio, media and all',
    description:
      'Idempotent: a recording Twilio no longer has answers `deleted: false`; the recording is gone either way.',
    parameters: recordingParameters,
    answers: { 200: recordingDeletedAnswer },
    errors: errors(TWILIO, ['subaccount_not_found', 'account_disconnected']),
  }),
  '/admin/calls/list': route({
    summary: "A page of a subaccount's calls, newest first, with price, duration and recording SIDs",
    description:
      'Filters: `startDate`/`endDate` (UTC days the call started, inclusive), `status`, `direction` (applied to each page Twilio answers). Three requests per page, never one per call.',
    parameters: listCallsParameters,
    answers: { 200: callPage },
    errors: errors(TWILIO, ['subaccount_not_found']),
  }),
} as const;

export type AdminRoutes = typeof adminRoutes;
export type AdminPath = keyof AdminRoutes;

/** The routes that can answer their 200 as text (`text` in their entry). */
export type AdminTextPath = {
  [P in AdminPath]: AdminRoutes[P] extends { text: object } ? P : never;
}[AdminPath];

/** What a caller may send to a route (JSON or form values, before validation). */
export type AdminParameters<P extends AdminPath> = z.input<AdminRoutes[P]['parameters']>;

/** A route's parameters once validated. */
export type ValidAdminParameters<P extends AdminPath> = z.output<AdminRoutes[P]['parameters']>;

/** Each success status of a route with the body it carries. */
export type AdminAnswer<P extends AdminPath> = {
  [S in keyof AdminRoutes[P]['answers'] & number]: {
    status: S;
    body: z.output<AdminRoutes[P]['answers'][S] & z.ZodType>;
  };
}[keyof AdminRoutes[P]['answers'] & number];

/** Every route's answers, resolved once (a generic function's callback is contextually typed by it). */
export type AdminAnswers = { [P in AdminPath]: AdminAnswer<P> };

/** The body of any success answer of a route. */
export type AdminAnswerBody<P extends AdminPath> = AdminAnswer<P>['body'];
