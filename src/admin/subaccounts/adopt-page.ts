import { isServiceError, ServiceError } from '../../errors/service-error';
import type { adoptPageAnswer } from '../answers';
import type { AdminDeps } from '../deps';
import { keyAfterCursor, registryCursor } from '../registry-cursor';
import { runBounded, timeBudget, type TimeBudget } from '../../twilio/time-budget';
import type { z } from 'zod';
import { adoptSubaccount, type AdoptParameters } from './adopt';
import { unmanagedAmong } from './adoption-record';
import { activeSubaccounts } from './unregistered';

/** Each adoption keeps up to TWILIO_CONCURRENCY number updates in flight: this many at a time stay near it. */
const ADOPT_CONCURRENCY = 3;

/**
 * Subaccounts one call examines to find unmanaged ones: with `pageSize` at least 5, at most 20 directory
 * page reads (unmanagedAmong), well under the 200 reads of Sync's 10 s burst window per object
 * (https://www.twilio.com/docs/sync/limits).
 */
const MAX_REGISTRY_READS = 100;

/**
 * A page of the main account's active subaccounts that the registry lacks, in SID order after the
 * cursor, each adopted as `adoptSubaccount` does (with `dryRun`, previewed: the page then lists what
 * the next calls would adopt). Calling on with `nextCursor` until there is none adopts every unmanaged
 * subaccount once; one that adopt refuses (say a number Twilio will not repoint) is answered in `failed`
 * and the sweep moves on.
 *
 * Bounds (10 s per Function, of which 7 s of work: WORK_BUDGET_MS): Twilio's list of subaccounts in
 * pages of 1,000 (activeSubaccounts, usually one request); registry items read `pageSize` (at most 20)
 * at a time until the page is full, at most MAX_REGISTRY_READS of them; then ADOPT_CONCURRENCY
 * adoptions at a time, none started once the budget is spent. `nextCursor` resumes after the last
 * subaccount examined or adopted.
 */
export async function adoptPage(
  deps: AdminDeps,
  parameters: AdoptParameters,
  budget: TimeBudget = timeBudget(),
): Promise<z.output<typeof adoptPageAnswer>> {
  const after = keyAfterCursor(parameters.cursor);
  const twilio = await activeSubaccounts(deps, budget);
  const candidates = twilio.accounts
    .map((account) => account.sid)
    .filter((sid) => after === undefined || sid > after)
    .sort();

  const unmanaged: string[] = [];
  let examined = 0;
  const readable = Math.min(candidates.length, MAX_REGISTRY_READS);
  while (examined < readable && unmanaged.length < parameters.pageSize && budget.hasTime()) {
    const batch = candidates.slice(examined, Math.min(examined + parameters.pageSize, readable));
    const found = new Set(await unmanagedAmong(deps, batch));
    for (const sid of batch) {
      if (unmanaged.length === parameters.pageSize) break;
      examined += 1;
      if (found.has(sid)) unmanaged.push(sid);
    }
  }

  const options = { keepNumberConfig: parameters.keepNumberConfig, dryRun: parameters.dryRun };
  const { results, notStarted } = await runBounded(
    unmanaged,
    async (sid) => {
      try {
        return { sid, adoption: await adoptSubaccount(deps, sid, options, budget) };
      } catch (error) {
        if (!isServiceError(error)) throw error;
        return { sid, failure: { subaccountSid: sid, code: error.code, message: error.message } };
      }
    },
    budget,
    ADOPT_CONCURRENCY,
  );
  // Adoptions start in SID order, so those left out are the last ones: resume after the last started.
  const lastExamined = candidates[examined - 1] ?? after;
  const resumeAfter = notStarted.length > 0 ? (results.at(-1)?.sid ?? after) : lastExamined;
  const more = notStarted.length > 0 || examined < candidates.length;
  if (more && resumeAfter === after)
    throw new ServiceError(503, 'out_of_time', 'No subaccount could be examined in time; call again.');
  return {
    dryRun: parameters.dryRun,
    subaccounts: results.flatMap((result) => (result.adoption ? [result.adoption] : [])),
    failed: results.flatMap((result) => (result.failure ? [result.failure] : [])),
    listComplete: twilio.complete,
    ...(more && resumeAfter ? { nextCursor: registryCursor(resumeAfter) } : {}),
  };
}
