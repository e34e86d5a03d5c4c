import { z } from 'zod';
import { conflict, invalidParameter, ServiceError } from '../../errors/service-error';
import type { RegisteredNumber, SubaccountRecord } from '../../registry/types';
import { isTwilioNotFound } from '../../twilio/rest-errors';
import type { AdminDeps } from '../deps';
import { accountSid, addressSid, phoneNumberSid } from '../parameters';
import {
  addNumberToMessagingService,
  removeNumberFromMessagingService,
  subaccountCredentials,
} from '../messaging';
import { awaitsOnlyNumber, finishedByNumber } from '../provisioning';
import { runOperation } from '../operations/run-operation';
import { twilioCall } from '../twilio-call';
import { compliantAddress, countryOfNumber } from './address';
import { settleArrivedNumber, type MovedNumber } from './arrival';
import { numberOwner, type NumberOwner } from './owner';

export const transferParameters = z.object({
  phoneNumberSid,
  toAccountSid: accountSid,
  /** The account that owns the number now; the main account when absent. */
  fromAccountSid: accountSid.optional(),
  /** The gaining account's Address for a number that needs one; without it, the one that fits. */
  addressSid: addressSid.optional(),
});

export type TransferParameters = z.output<typeof transferParameters>;

export const SMS_OPT_OUT_WARNING =
  'SMS opt-outs (STOP replies) recorded for this number stay with the old account: the gaining account must honour them itself.';

/**
 * Moves a number between the main account and our subaccounts (any direction) by Twilio's documented
 * steps, each its own request, so nothing rests on the order Twilio applies checks within one request:
 * 1. the move itself, `AccountSid` alone (refused first, changing nothing, when the gaining account
 *    has no Address that fits the number's requirement);
 * 2. in the gaining account: pointed at its TwiML App (and its Address, when one was chosen), or, back
 *    in the main account, its App link cleared when the move left one.
 * It leaves the losing subaccount's Messaging Service before the move and joins the gaining one's after;
 * both registry items follow (the losing one also forgets it as caller ID and in routing, and the answer
 * warns when routing was dropped). Every step
 * looks at where the number is first, so the same call after a fault finishes the transfer. Both ends,
 * when they are subaccounts, are held by their operation records: a close (or another transfer) of either cannot
 * interleave.
 */
export async function transferNumber(deps: AdminDeps, parameters: TransferParameters) {
  const fromSid = parameters.fromAccountSid ?? deps.config.accountSid;
  if (fromSid === parameters.toAccountSid)
    throw invalidParameter('toAccountSid', 'is the account that owns the number already');
  const subaccounts = [fromSid, parameters.toAccountSid].filter((sid) => sid !== deps.config.accountSid);
  try {
    const operation = { operation: 'numbers/transfer', subjects: subaccounts, payload: parameters };
    const { value } = await runOperation(deps, operation, () =>
      transferUnderLeases(deps, parameters, fromSid),
    );
    return value;
  } catch (error) {
    // An account that is neither main nor ours is a wrong parameter, refused before any record is taken.
    if (!(error instanceof ServiceError && error.code === 'subaccount_not_found')) throw error;
    const parameter = error.details?.subaccountSid === fromSid ? 'fromAccountSid' : 'toAccountSid';
    const sid = parameter === 'fromAccountSid' ? fromSid : parameters.toAccountSid;
    throw invalidParameter(parameter, `${sid} is neither the main account nor a subaccount of this service`);
  }
}

async function transferUnderLeases(deps: AdminDeps, parameters: TransferParameters, fromSid: string) {
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
  const found = await twilioCall(
    `Fetching ${parameters.phoneNumberSid}`,
    numbers(parameters.phoneNumberSid)
      .fetch()
      .catch(async (error: unknown) => {
        if (!isTwilioNotFound(error)) throw error;
        // A retry of a transfer whose move went through but whose later steps did not all: finish
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
  let number: MovedNumber = found;
  let address: string | null = parameters.addressSid ?? null;
  if (!('alreadyMoved' in found)) {
    // Refusals first: a transfer that cannot happen changes nothing.
    address = await compliantAddress(
      deps,
      to.sid,
      { requirement: found.addressRequirements, isoCountry: countryOfNumber(deps, found.phoneNumber) },
      parameters.addressSid,
    );
    // Out of the losing subaccount's Messaging Service while that account still owns the number.
    if (leaving)
      await changeMessagingService(deps, removeNumberFromMessagingService, from.sid, leaving, found.sid);
    number = await twilioCall(
      `Moving ${found.sid} from ${from.sid} to ${to.sid}`,
      numbers(found.sid).update({ accountSid: to.sid }),
    );
  }
  await settleArrivedNumber(deps, to.sid, number, appSid, address);
  const moved: RegisteredNumber = { sid: number.sid, phoneNumber: number.phoneNumber };
  await Promise.all([
    forget(deps, from, moved),
    remember(deps, to, moved),
    joining
      ? changeMessagingService(deps, addNumberToMessagingService, to.sid, joining, moved.sid)
      : undefined,
  ]);
  const dropped = droppedRouting(from, moved);
  return {
    number: moved,
    fromAccountSid: from.sid,
    toAccountSid: to.sid,
    voiceApplicationSid: appSid,
    messagingServiceSid: joining,
    warnings: [SMS_OPT_OUT_WARNING, ...(dropped ? [dropped] : [])],
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

/**
 * What the losing subaccount's inbound routing of the number was, said once, since it does not follow
 * the number: routing is kept on the registry item of a number the subaccount holds (registry/layout.ts),
 * so a number moved out and back rings nobody until `update` routes it again. Undefined when it had none.
 */
function droppedRouting(from: NumberOwner, number: RegisteredNumber): string | undefined {
  const routing = from.stored?.data.inboundRouting;
  const identities =
    routing && Object.hasOwn(routing, number.phoneNumber) ? routing[number.phoneNumber] : undefined;
  if (!identities) return undefined;
  const who = identities.length > 0 ? identities.join(', ') : 'nobody';
  return `Inbound routing of ${number.phoneNumber} in ${from.sid} (${who}) was dropped: routing stays with the account that holds a number. Moved back, the number rings nobody until update sets its inboundRouting again.`;
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
