import { ServiceError } from '../../errors/service-error';
import type { SubaccountRecord } from '../../registry/types';
import type { AdminDeps } from '../deps';
import {
  addNumberToMessagingService,
  createMessagingService,
  deleteMessagingService,
  existingMessagingService,
  removeNumberFromMessagingService,
  subaccountCredentials,
} from '../messaging';
import { runBounded, timeBudget } from '../../twilio/time-budget';

/**
 * `update` with `messagingService`: true gives the subaccount a Messaging Service (its own, made with
 * its credentials) holding every number it has; false takes its numbers out of it and deletes it.
 * Answers the `messagingServiceSid` the registry should hold. Idempotent: an existing service is found
 * (in the registry, else on Twilio) rather than made twice, and numbers already in or out count as done.
 * One request per number, TWILIO_CONCURRENCY at a time, none started after the 7 s work budget: a
 * subaccount with more numbers than fit gets 503 `out_of_time` and the same call finishes the work.
 */
export async function setMessagingService(
  deps: AdminDeps,
  record: SubaccountRecord,
  wanted: boolean,
): Promise<string | null> {
  const budget = timeBudget();
  if (!wanted && !record.messagingServiceSid) return null;
  const account = await subaccountCredentials(deps, record.sid);
  const serviceSid =
    record.messagingServiceSid ??
    (await existingMessagingService(deps, account)) ??
    (await createMessagingService(deps, account, record.friendlyName));
  const { notStarted } = await runBounded(
    record.numbers,
    (number) =>
      wanted
        ? addNumberToMessagingService(deps, account, serviceSid, number.sid)
        : removeNumberFromMessagingService(deps, account, serviceSid, number.sid),
    budget,
  );
  if (notStarted.length > 0) {
    throw new ServiceError(
      503,
      'out_of_time',
      `${notStarted.length} numbers of ${record.sid} are not yet ${wanted ? 'in' : 'out of'} its Messaging Service: call update again to finish.`,
    );
  }
  if (wanted) return serviceSid;
  await deleteMessagingService(deps, account, serviceSid);
  return null;
}
