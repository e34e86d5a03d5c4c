import { findAccount } from '../../rest/auth';
import type { Handlers, RequestContext } from '../../context';
import { nowIso, rfc2822 } from '../../rest/dates';
import { forbidden, TwilioError } from '../../rest/errors';
import { newSid } from '../../rest/ids';
import { pageV2010 } from '../../rest/paging';
import { addressFor } from '../../rules/address-requirements';
import type { Account, IncomingPhoneNumber, SandboxState } from '../../state/types';
import { ownedBy, pathAccountSid } from './account-scope';
import { accountUri, applyVoiceSmsHandling, optionalField } from './uris';

/**
 * Unset fields as Twilio answers them: the twilio-oai example of FetchIncomingPhoneNumber gives empty
 * strings for the SMS URLs, the status callback and both application SIDs, but null for `voice_url`,
 * `voice_fallback_url` and `trunk_sid` (twilio_api_v2010.json, IncomingPhoneNumbers/{Sid}.json, GET).
 */
const orEmpty = (value: string | null): string => value ?? '';

const numberJson = (number: IncomingPhoneNumber) => ({
  account_sid: number.accountSid,
  address_sid: number.addressSid,
  address_requirements: number.addressRequirements,
  api_version: '2010-04-01',
  beta: false,
  capabilities: { voice: true, sms: true, mms: true, fax: false },
  date_created: rfc2822(number.dateCreated),
  date_updated: rfc2822(number.dateUpdated),
  friendly_name: number.friendlyName,
  identity_sid: null,
  phone_number: number.phoneNumber,
  origin: 'twilio',
  sid: number.sid,
  sms_application_sid: orEmpty(number.smsApplicationSid),
  sms_fallback_method: 'POST',
  sms_fallback_url: '',
  sms_method: number.smsMethod,
  sms_url: orEmpty(number.smsUrl),
  status_callback: orEmpty(number.statusCallback),
  status_callback_method: 'POST',
  trunk_sid: null,
  uri: `${accountUri(number.accountSid)}/IncomingPhoneNumbers/${number.sid}.json`,
  voice_receive_mode: 'voice',
  voice_application_sid: orEmpty(number.voiceApplicationSid),
  voice_caller_id_lookup: false,
  voice_fallback_method: 'POST',
  voice_fallback_url: null,
  voice_method: number.voiceMethod,
  voice_url: number.voiceUrl,
  emergency_status: 'Inactive',
  emergency_address_sid: null,
  emergency_address_status: 'unregistered',
  bundle_sid: null,
  status: 'in-use',
});

/** Friendly form Twilio gives US numbers, e.g. (415) 555-0100. */
export function friendlyNumber(phoneNumber: string): string {
  const us = /^\+1(\d{3})(\d{3})(\d{4})$/.exec(phoneNumber);
  return us ? `(${us[1]}) ${us[2]}-${us[3]}` : phoneNumber;
}

function ensureApplicationOf(state: SandboxState, accountSid: string, applicationSid: string | null): void {
  if (
    applicationSid &&
    !state.applications.some((a) => a.sid === applicationSid && a.accountSid === accountSid)
  ) {
    throw new TwilioError(
      400,
      21606,
      `Application ${applicationSid} does not belong to account ${accountSid}`,
    );
  }
}

function applyConfiguration(state: SandboxState, number: IncomingPhoneNumber, body: URLSearchParams): void {
  const voiceApplicationSid = optionalField(body, 'VoiceApplicationSid', number.voiceApplicationSid);
  const smsApplicationSid = optionalField(body, 'SmsApplicationSid', number.smsApplicationSid);
  ensureApplicationOf(state, number.accountSid, voiceApplicationSid);
  ensureApplicationOf(state, number.accountSid, smsApplicationSid);
  number.voiceApplicationSid = voiceApplicationSid;
  number.smsApplicationSid = smsApplicationSid;
  applyVoiceSmsHandling(number, body);
  number.dateUpdated = nowIso();
}

function findNumber(context: RequestContext): IncomingPhoneNumber {
  return ownedBy(context, context.state.incomingPhoneNumbers, pathAccountSid(context));
}

const familyRoot = (account: Account): string => account.ownerAccountSid ?? account.sid;

/**
 * Twilio's transfer rules: only a main account's SID + auth token moves numbers, only between that main
 * account and its subaccounts, to an active account (the address requirement: see addressFor).
 */
function checkTransfer(context: RequestContext, number: IncomingPhoneNumber, toAccountSid: string): void {
  const { state, credential } = context;
  if (credential.kind !== 'main') {
    throw forbidden('Phone numbers can only be transferred with the main account credentials');
  }
  const gaining = findAccount(state, toAccountSid);
  const losing = findAccount(state, number.accountSid);
  if (
    !gaining ||
    !losing ||
    familyRoot(gaining) !== credential.accountSid ||
    familyRoot(losing) !== credential.accountSid
  ) {
    throw new TwilioError(400, 21430, 'Phone numbers can only be transferred between related accounts');
  }
  if (gaining.status !== 'active') {
    throw new TwilioError(400, 21430, `Account ${toAccountSid} is not active`);
  }
}

export const incomingPhoneNumberHandlers: Handlers = {
  ListIncomingPhoneNumber: (context) => {
    const accountSid = pathAccountSid(context);
    const phoneNumber = context.query.get('PhoneNumber');
    const friendlyName = context.query.get('FriendlyName');
    const numbers = context.state.incomingPhoneNumbers.filter(
      (n) =>
        n.accountSid === accountSid &&
        (phoneNumber === null || n.phoneNumber.includes(phoneNumber.replace(/[^\d+*]/g, ''))) &&
        (friendlyName === null || n.friendlyName === friendlyName),
    );
    return { status: 200, body: pageV2010(numbers.map(numberJson), context, 'incoming_phone_numbers') };
  },

  FetchIncomingPhoneNumber: (context) => ({ status: 200, body: numberJson(findNumber(context)) }),

  /** Buying: the number must be on offer (AvailablePhoneNumbers) and its address requirement met. */
  CreateIncomingPhoneNumber: (context) => {
    const { state, body } = context;
    const accountSid = pathAccountSid(context);
    const wanted = body.get('PhoneNumber');
    const areaCode = body.get('AreaCode');
    if (!wanted && !areaCode) {
      throw new TwilioError(
        400,
        21201,
        'Missing required parameter PhoneNumber or AreaCode in the post body',
      );
    }
    const offer = state.availableNumbers.find((n) =>
      wanted ? n.phoneNumber === wanted : n.phoneNumber.startsWith(`+1${areaCode}`),
    );
    if (!offer) {
      throw new TwilioError(400, 21422, `PhoneNumber ${wanted ?? areaCode} is not available`);
    }
    const addressSid = addressFor(
      state,
      { accountSid, isoCountry: offer.isoCountry, addressRequirements: offer.addressRequirements },
      body.get('AddressSid'),
      'required',
    );
    const now = nowIso();
    const number: IncomingPhoneNumber = {
      sid: newSid('PN'),
      accountSid,
      phoneNumber: offer.phoneNumber,
      isoCountry: offer.isoCountry,
      friendlyName: friendlyNumber(offer.phoneNumber),
      voiceUrl: null,
      voiceMethod: 'POST',
      voiceApplicationSid: null,
      smsUrl: null,
      smsMethod: 'POST',
      smsApplicationSid: null,
      statusCallback: null,
      addressRequirements: offer.addressRequirements,
      addressSid,
      dateCreated: now,
      dateUpdated: now,
    };
    applyConfiguration(state, number, body);
    state.availableNumbers = state.availableNumbers.filter((n) => n !== offer);
    state.incomingPhoneNumbers.push(number);
    return { status: 201, body: numberJson(number) };
  },

  UpdateIncomingPhoneNumber: (context) => {
    const number = findNumber(context);
    const toAccountSid = context.body.get('AccountSid');
    const copy = { ...number };
    const addressSid = context.body.get('AddressSid');
    if (toAccountSid && toAccountSid !== number.accountSid) {
      checkTransfer(context, number, toAccountSid);
      copy.accountSid = toAccountSid;
      // An application of the losing account cannot serve the number any more.
      copy.voiceApplicationSid = null;
      copy.smsApplicationSid = null;
      copy.addressSid = addressFor(context.state, copy, addressSid, 'looked up');
    } else if (addressSid) {
      copy.addressSid = addressFor(context.state, copy, addressSid, 'required');
    }
    applyConfiguration(context.state, copy, context.body);
    Object.assign(number, copy);
    return { status: 200, body: numberJson(number) };
  },

  /** Releasing a number gives it up; it leaves any Messaging Service too. */
  DeleteIncomingPhoneNumber: (context) => {
    const number = findNumber(context);
    const { state } = context;
    state.incomingPhoneNumbers = state.incomingPhoneNumbers.filter((n) => n !== number);
    state.messagingPhoneNumbers = state.messagingPhoneNumbers.filter((n) => n.sid !== number.sid);
    return { status: 204 };
  },
};
