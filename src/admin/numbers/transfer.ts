import { z } from 'zod';
import { badRequest, conflict, invalidParameter } from '../../errors/service-error';
import type { RegisteredNumber, SubaccountRecord } from '../../registry/types';
import { isTwilioNotFound } from '../../twilio/rest-errors';
import type { AdminDeps } from '../deps';
import { accountSid, phoneNumberSid } from '../parameters';
import {
  addNumberToMessagingService,
  removeNumberFromMessagingService,
  subaccountCredentials,
} from '../messaging';
import { awaitsOnlyNumber, finishedByNumber } from '../subaccounts/provisioning';
import { twilioCall } from '../twilio-call';
import { numberVoiceSettings } from '../voice-app';
import { numberOwner, type NumberOwner } from './owner';

export const transferParameters = z.object({
  phoneNumberSid,
  toAccountSid: accountSid,
  /** The account that owns the number now; the main account when absent. */
  fromAccountSid: accountSid.optional(),
});

export type TransferParameters = z.output<typeof transferParameters>;

export const SMS_OPT_OUT_WARNING =
  'SMS opt-outs (STOP replies) recorded for this number stay with the old account: the gaining account must honour them itself.';

/**
 * Moves a number between the main account and our subaccounts (any direction), refusing before any
 * change when the gaining account lacks an Address the number requires. The number then rings the
 * gaining subaccount's TwiML App, or nothing when it goes back to the main account; it leaves the losing
 * subaccount's Messaging Service and joins the gaining one's; both registry items follow (the losing one
 * also forgets it as caller ID and in routing).
 */
export async function transferNumber(deps: AdminDeps, parameters: TransferParameters) {
  const fromSid = parameters.fromAccountSid ?? deps.config.accountSid;
  if (fromSid === parameters.toAccountSid)
    throw invalidParameter('toAccountSid', 'is the account that owns the number already');
  const [from, to] = await Promise.all([
    numberOwner(deps, fromSid, 'fromAccountSid'),
    numberOwner(deps, parameters.toAccountSid, 'toAccountSid'),
  ]);
  // A subaccount whose create lacks only its number may receive one: that finishes it.
  if (to.stored && to.stored.data.status !== 'active' && !awaitsOnlyNumber(to.stored.data)) {
    throw conflict(
      'subaccount_not_active',
      `${to.sid} is ${to.stored.data.status}; numbers can only move to an active account.`,
    );
  }
  const numbers = deps.clients.actingOn(from.sid).incomingPhoneNumbers;
  const appSid = to.stored?.data.twimlAppSid ?? null;
  const number = await twilioCall(
    `Fetching ${parameters.phoneNumberSid}`,
    numbers(parameters.phoneNumberSid)
      .fetch()
      .catch(async (error: unknown) => {
        if (!isTwilioNotFound(error)) throw error;
        // A retry of a transfer whose move went through but whose registry steps did not all: finish
        // them. That is the case when the number sits in the gaining subaccount (its item must list it)
        // or the losing item still lists it; a number back in main that no item lists is just not there.
        const ours =
          Boolean(to.stored) ||
          Boolean(from.stored?.data.numbers.some((held) => held.sid === parameters.phoneNumberSid));
        const arrived = ours && (await alreadyMoved(deps, to.sid, parameters.phoneNumberSid));
        if (arrived) return { ...arrived, alreadyMoved: true };
        throw invalidParameter('phoneNumberSid', `is not a number of ${from.sid}`);
      }),
  );
  const leaving = from.stored?.data.messagingServiceSid ?? null;
  const joining = to.stored?.data.messagingServiceSid ?? null;
  if (!('alreadyMoved' in number)) {
    // Refusals first: a transfer that cannot happen changes nothing.
    if (number.addressRequirements !== 'none') await requireAddress(deps, to.sid, number.addressRequirements);
    // Out of the losing subaccount's Messaging Service while that account still owns the number.
    if (leaving)
      await changeMessagingService(deps, removeNumberFromMessagingService, from.sid, leaving, number.sid);
    await twilioCall(
      `Moving ${number.sid} from ${from.sid} to ${to.sid}`,
      numbers(number.sid).update({ accountSid: to.sid, ...numberVoiceSettings(appSid) }),
    );
  }
  const moved: RegisteredNumber = { sid: number.sid, phoneNumber: number.phoneNumber };
  await Promise.all([
    forget(deps, from, moved),
    remember(deps, to, moved),
    joining
      ? changeMessagingService(deps, addNumberToMessagingService, to.sid, joining, moved.sid)
      : undefined,
  ]);
  return {
    number: moved,
    fromAccountSid: from.sid,
    toAccountSid: to.sid,
    voiceApplicationSid: appSid,
    messagingServiceSid: joining,
    warnings: [SMS_OPT_OUT_WARNING],
  };
}

/**
 * A subaccount made with a Messaging Service sends from all its numbers through it, so a number follows
 * the services of the accounts it moves between. Messaging takes the subaccount's own credentials.
 */
async function changeMessagingService(
  deps: AdminDeps,
  change: typeof addNumberToMessagingService,
  accountSid: string,
  serviceSid: string,
  numberSid: string,
): Promise<void> {
  await change(deps, await subaccountCredentials(deps, accountSid), serviceSid, numberSid);
}

/** The number as the gaining account holds it, when it is there already. */
function alreadyMoved(deps: AdminDeps, accountSid: string, numberSid: string) {
  return deps.clients
    .actingOn(accountSid)
    .incomingPhoneNumbers(numberSid)
    .fetch()
    .catch((error: unknown) => {
      if (isTwilioNotFound(error)) return undefined;
      throw error;
    });
}

async function requireAddress(deps: AdminDeps, accountSid: string, requirement: string): Promise<void> {
  const addresses = await twilioCall(
    `Listing addresses of ${accountSid}`,
    deps.clients.actingOn(accountSid).addresses.list({ limit: 1 }),
  );
  if (addresses.length === 0) {
    throw badRequest(
      'address_required',
      `toAccountSid: the number needs an Address (${requirement}) in ${accountSid}; add one there first.`,
      {
        parameter: 'toAccountSid',
      },
    );
  }
}

function forget(deps: AdminDeps, owner: NumberOwner, number: RegisteredNumber) {
  if (!owner.stored) return Promise.resolve();
  return deps.registry.update(owner.sid, (record): SubaccountRecord => {
    const inboundRouting = Object.fromEntries(
      Object.entries(record.inboundRouting).filter(([routed]) => routed !== number.phoneNumber),
    );
    return {
      ...record,
      numbers: record.numbers.filter((held) => held.sid !== number.sid),
      callerId: record.callerId === number.phoneNumber ? null : record.callerId,
      inboundRouting,
      updatedAt: deps.now().toISOString(),
    };
  });
}

function remember(deps: AdminDeps, owner: NumberOwner, number: RegisteredNumber) {
  if (!owner.stored) return Promise.resolve();
  return deps.registry.update(owner.sid, (record) => ({
    ...record,
    numbers: [...record.numbers.filter((held) => held.sid !== number.sid), number],
    callerId: record.callerId ?? number.phoneNumber,
    ...finishedByNumber(record),
    updatedAt: deps.now().toISOString(),
  }));
}
