/**
 * What the steps of `create` work from (CreatePlan, fixed when the call starts) and what they give
 * (CreateState, filled in step by step: operations/steps.ts). A field is present once its step is done;
 * `null` says a part does not apply (no Messaging Service asked for, no number, no Address needed).
 */
import type { Registration } from '../../../registry/registration';
import type { StoredItem } from '../../../registry/sync-map-store';
import type { ApiKeyRef, SubaccountRecord } from '../../../registry/types';
import type { AdminDeps } from '../../deps';
import type { SubaccountCredentials } from '../../messaging';
import type { HeldOperation, OperationClaim } from '../../operations/store';
import type { CreateParameters } from './create-parameters';
import type { NumberRequest } from './number-plan';
import type { GivenNumber } from './parts';

export interface CreatePlan {
  deps: AdminDeps;
  parameters: CreateParameters;
  key: string;
  /** What the idempotency key's record says this call is. */
  claim: OperationClaim;
  /** Hash of the number parameters of this call: they may change until the create has finished. */
  numberHash: string;
  /** The idempotency key's record, held by this call: it names the subaccount once there is one. */
  keyRecord: HeldOperation;
  /** False for the first call with this key: nothing can exist yet, so no step looks for earlier work. */
  resumed: boolean;
  /** The subaccount an earlier attempt made, as its key's record names it. */
  accountSid?: string;
  /** Its registry record, when the earlier attempt got that far. */
  found?: StoredItem<SubaccountRecord>;
  /** The number step to run, planned before anything is made (number-plan.ts); null for none. */
  number: NumberRequest | null;
}

export interface CreateState {
  /** The subaccount, made (or found again) with its auth token. */
  account: SubaccountCredentials;
  /** Its registry items' writer. */
  registration: Registration;
  /** Its SID is in the key's record: a retry finds it by that, so the pending name may go. */
  sidRecorded: true;
  /** Its own Sync Map exists: its items are created in one request each. */
  tenantMap: true;
  /** Its directory summary is written (`provisioning`): list sees it from here on. */
  listed: true;
  apiKey: ApiKeyRef;
  twimlAppSid: string;
  messagingServiceSid: string | null;
  /** The Address the number goes with, in the subaccount (address-copy.ts). */
  numberAddressSid: string | null;
  /** The subaccount's operation record, held: no other lifecycle change runs until create ends. */
  lock: HeldOperation;
  /** Its `provisioning` record, with the parts made so far. */
  registered: StoredItem<SubaccountRecord>;
  number: GivenNumber | null;
  renamed: true;
  /** The number rings the subaccount's TwiML App. */
  pointed: true;
  /** The number is in the subaccount's Messaging Service. */
  joined: true;
  /** The number's item and the `active` summary are written: only the commit is left. */
  listedActive: true;
  /** The record, `active`: the create is done. */
  record: StoredItem<SubaccountRecord>;
}
