import type { AdminDeps } from '../deps';
import type { TimeBudget } from '../../twilio/time-budget';
import { twilioCall } from '../twilio-call';
import { isPendingName } from './creation/parts';

/** An active subaccount of the main account that the registry does not know. */
export interface UnregisteredSubaccount {
  subaccountSid: string;
  friendlyName: string;
  message: string;
}

/**
 * Twilio's largest Accounts page. A main account may have 1,000 subaccounts unless Twilio raised its
 * limit, so one request reads them all in the usual case.
 */
const ACCOUNTS_PAGE_SIZE = 1000;

/** A subaccount as Twilio lists it to the main account (its auth token included: never answered). */
export interface TwilioSubaccount {
  sid: string;
  friendlyName: string;
  status: string;
  authToken: string;
}

export interface ActiveSubaccounts {
  accounts: TwilioSubaccount[];
  /** False when the time budget ran out before Twilio's last page: some may be missing. */
  complete: boolean;
}

/**
 * The main account's subaccounts as Twilio lists them with the main credentials, all of them or those
 * in `status`. Bounds: pages of 1,000 accounts, read one after another only while the time budget (7 s
 * of the 10 s a Function may run) allows; usually one request.
 */
export async function subaccountsOnTwilio(
  deps: AdminDeps,
  budget: TimeBudget,
  status?: 'active',
): Promise<ActiveSubaccounts> {
  const accounts: TwilioSubaccount[] = [];
  let request: Promise<AccountsPage> | undefined = deps.clients
    .main()
    .api.v2010.accounts.page({ ...(status ? { status } : {}), pageSize: ACCOUNTS_PAGE_SIZE });
  while (request) {
    const page: AccountsPage = await twilioCall('Listing the subaccounts of the main account', request);
    for (const account of page.instances) {
      // The list holds the main account itself too.
      if (account.sid !== deps.config.accountSid) {
        const { sid, friendlyName, status: accountStatus, authToken } = account;
        accounts.push({ sid, friendlyName, status: accountStatus, authToken });
      }
    }
    if (page.nextPageUrl && !budget.hasTime()) return { accounts, complete: false };
    request = page.nextPage();
  }
  return { accounts, complete: true };
}

/** The main account's active subaccounts (Status=active), as `subaccountsOnTwilio` lists them. */
export function activeSubaccounts(deps: AdminDeps, budget: TimeBudget): Promise<ActiveSubaccounts> {
  return subaccountsOnTwilio(deps, budget, 'active');
}

interface AccountsPage {
  instances: TwilioSubaccount[];
  nextPageUrl?: string;
  nextPage(): Promise<AccountsPage> | undefined;
}

/**
 * The accounts among `accounts` with a SID in (after, upTo] (no bound where undefined) that are not in
 * `known`: a sweep of the registry in SID order reports, page after page, every unregistered one once.
 */
export function unregisteredIn(
  accounts: ActiveSubaccounts['accounts'],
  known: ReadonlySet<string>,
  after: string | undefined,
  upTo: string | undefined,
): UnregisteredSubaccount[] {
  return accounts
    .filter(
      (account) =>
        !known.has(account.sid) &&
        (after === undefined || account.sid > after) &&
        (upTo === undefined || account.sid <= upTo),
    )
    .sort((a, b) => (a.sid < b.sid ? -1 : 1))
    .map((account) => ({
      subaccountSid: account.sid,
      friendlyName: account.friendlyName,
      message: isPendingName(account.friendlyName)
        ? `${account.sid} is active on Twilio but not in the registry: a create stopped before it recorded it. Retry that create with its idempotencyKey, or close the subaccount on Twilio.`
        : `${account.sid} ("${account.friendlyName}") is active on Twilio but not managed by this service: /admin/subaccounts/adopt with this subaccountSid takes it in (dryRun: true shows what it would change). If a create of this service stopped, retry that create with its idempotencyKey instead.`,
    }));
}
