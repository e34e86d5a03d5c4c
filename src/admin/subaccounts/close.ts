import { z } from 'zod';
import { conflict } from '../../errors/service-error';
import type { StoredItem } from '../../registry/sync-map-store';
import type { RegisteredNumber, SubaccountRecord } from '../../registry/types';
import { isTwilioRestError } from '../../twilio/rest-errors';
import type { AdminDeps } from '../deps';
import { flag, subaccountSid } from '../parameters';
import { registered, runOperation } from '../operations/run-operation';
import { runBounded, timeBudget, type TimeBudget } from '../../twilio/time-budget';
import { twilioCall } from '../twilio-call';
import { emitEvent } from '../../events/emit';
import { settleArrivedNumber } from '../numbers/arrival';
import { markedIfDeleted } from './deleted';

export const closeParameters = z
  .object({
    subaccountSid,
    /** Must repeat the SID: closing is irreversible. */
    confirm: z.string({ message: 'must repeat subaccountSid: closing is irreversible' }),
    /** By default numbers go back to the main account; true lets Twilio release them with the account. */
    releaseNumbers: flag.default(false),
  })
  .refine((value) => value.confirm === value.subaccountSid, {
    path: ['confirm'],
    message: 'must equal subaccountSid: closing is irreversible',
  });

export type CloseParameters = z.output<typeof closeParameters>;

export type CloseOutcome =
  | { closed: true; numbersKept: RegisteredNumber[]; numbersReleased: RegisteredNumber[] }
  /** Not everything could move back within the time budget; nothing is closed yet. Call again. */
  | { closed: false; numbersKept: RegisteredNumber[]; numbersRemaining: number };

/**
 * Moves of a closing account's numbers in flight at once: each is one short request, and 50 (the
 * connections the client keeps per host, MAX_SOCKETS_PER_HOST, as a `check` sweep keeps 48 in flight
 * within Twilio's concurrency per account) bring 200 numbers home in four round trips; a 429 is retried
 * by the client.
 */
const MOVE_CONCURRENCY = 50;

/** Twilio's code for a status change of an account that is already closed. */
const ALREADY_CLOSED = 21479;

/**
 * Closes a subaccount for good, under its operation record (so no transfer into it, and no other lifecycle change,
 * can run meanwhile). First (unless releaseNumbers) every number moves back to the main account with
 * its voice configuration cleared, since closing releases numbers for ever. The numbers are listed beside
 * the read of the record, and once more, under it, just before the account closes: a number that arrived meanwhile by
 * other means (the Console, another tool) is moved home too, never released unless releaseNumbers says
 * so. A call cut short by the time budget closes nothing, says how many numbers are left, and the same
 * call continues the work.
 */
export async function closeSubaccount(deps: AdminDeps, parameters: CloseParameters): Promise<CloseOutcome> {
  const budget = timeBudget();
  const sid = parameters.subaccountSid;
  // The numbers are first listed beside the read of the record (a round trip saved); those that arrive
  // after are found by the second list, under the record, just before the account closes.
  const alongside = () =>
    listNumbers(deps, sid).then(
      (numbers) => ({ numbers }),
      (failure) => ({ failure }),
    );
  const operation = { operation: 'close', subjects: [sid], payload: parameters, alongside };
  const { value } = await runOperation(deps, operation, (context) =>
    closeUnderLease(deps, parameters, registered(context.records[0]), budget, context.alongside as Listed),
  );
  return value;
}

type Listed = { numbers: RegisteredNumber[] } | { failure: unknown };

async function listNumbers(deps: AdminDeps, sid: string): Promise<RegisteredNumber[]> {
  const own = deps.clients.actingOn(sid).incomingPhoneNumbers;
  const listed = await twilioCall(`Listing numbers of ${sid}`, own.list({ pageSize: 1000 }));
  return listed.map((n) => ({ sid: n.sid, phoneNumber: n.phoneNumber }));
}

/** Rounds of "list, move home" before giving up on numbers that keep arriving from elsewhere. */
const MAX_MOVE_ROUNDS = 3;

async function closeUnderLease(
  deps: AdminDeps,
  parameters: CloseParameters,
  stored: StoredItem<SubaccountRecord>,
  budget: TimeBudget,
  listed: Listed,
): Promise<CloseOutcome> {
  const sid = stored.key;
  // Twilio deletes a subaccount only once it is closed: a deleted one is closed too.
  const done: CloseOutcome = { closed: true, numbersKept: [], numbersReleased: [] };
  if (stored.data.status === 'closed' || stored.data.status === 'deleted') return done;
  const own = deps.clients.actingOn(sid).incomingPhoneNumbers;
  const numbersKept: RegisteredNumber[] = [];
  if ('failure' in listed) {
    // One Twilio answers 404 for is marked deleted, and so closed.
    if (await markedIfDeleted(deps, stored, listed.failure)) return done;
    throw listed.failure;
  }
  let numbers = listed.numbers;
  for (let round = 1; !parameters.releaseNumbers && numbers.length > 0; round++) {
    if (round > MAX_MOVE_ROUNDS) {
      throw conflict(
        'numbers_still_arriving',
        `Numbers keep arriving in ${sid} while it closes (${numbers.map((n) => n.phoneNumber).join(', ')}); nothing was closed. Stop what moves them there, then call close again.`,
        { subaccountSid: sid },
      );
    }
    const { results, notStarted } = await runBounded(
      numbers,
      async (number) => {
        const moved = await twilioCall(
          `Moving ${number.sid} back to the main account`,
          own(number.sid).update({ accountSid: deps.config.accountSid }),
        );
        await settleArrivedNumber(deps, deps.config.accountSid, moved, null, null);
        return number;
      },
      budget,
      MOVE_CONCURRENCY,
    );
    numbersKept.push(...results);
    if (notStarted.length > 0) {
      const left = new Set(notStarted.map((number) => number.sid));
      await deps.registry.update(sid, (record) => ({
        ...record,
        numbers: record.numbers.filter((number) => left.has(number.sid)),
        updatedAt: deps.now().toISOString(),
      }));
      return { closed: false, numbersKept, numbersRemaining: notStarted.length };
    }
    // Read again: only an empty list lets the account close with nothing of value in it.
    numbers = await listNumbers(deps, sid);
  }

  await twilioCall(
    `Closing ${sid}`,
    deps.clients
      .main()
      .api.v2010.accounts(sid)
      .update({ status: 'closed' })
      .catch((error: unknown) => {
        // Closed by an earlier attempt whose registry write failed: carry on to the registry.
        if (isTwilioRestError(error) && error.code === ALREADY_CLOSED) return undefined;
        throw error;
      }),
  );
  await deps.registry.update(sid, (record) => ({
    ...record,
    status: 'closed',
    numbers: [],
    callerId: null,
    inboundRouting: {},
    apiKey: null,
    retiringApiKeys: [],
    // A subaccount closed before its create finished is no longer waiting for anything.
    provisioning: null,
    updatedAt: deps.now().toISOString(),
  }));
  await emitEvent(deps, 'subaccount.closed', sid, {
    numbersKept: numbersKept.length,
    numbersReleased: parameters.releaseNumbers ? numbers.length : 0,
  });
  return { closed: true, numbersKept, numbersReleased: parameters.releaseNumbers ? numbers : [] };
}
