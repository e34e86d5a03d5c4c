import type { SubaccountView } from '../../admin/answers';
import type { Act } from './feedback';
import type { NumberTransfer } from './number-transfer';

/**
 * Everything the console remembers between an operator's actions, in one object made at start and
 * handed to every view: the tenant open in the detail view, where each paged list goes on, and the
 * idempotency keys a retry must reuse. Views keep no state of their own besides their elements.
 */
export interface ConsoleState {
  /** The tenant (subaccount or connected account) the detail view shows. */
  selected: SubaccountView | undefined;
  /** Where each paged list goes on (the API's `nextCursor`); absent once at its end. */
  cursors: {
    tenants?: string;
    unmanaged?: string;
    numbers?: string;
    mainNumbers?: string;
  };
  /** Learnt from the first numbers list of the main account, for "Move to main account". */
  mainAccountSid: string | undefined;
  create: {
    /** Reused until a create succeeds, so retrying after a lost answer cannot make a second subaccount. */
    idempotencyKey?: string;
    /** Set while the last create stopped part-way: its key finishes it, even with another area code. */
    unfinishedKey?: string;
  };
  /** Reused until a connect succeeds, as create's, so a retry cannot connect twice. */
  connectIdempotencyKey: string | undefined;
}

export function newConsoleState(): ConsoleState {
  return {
    selected: undefined,
    cursors: {},
    mainAccountSid: undefined,
    create: {},
    connectIdempotencyKey: undefined,
  };
}

/**
 * What the views share: the state, the action runner, and the few things one view asks of another
 * (the list reloaded, a tenant opened), wired once in main.ts.
 */
export interface ConsoleApp {
  readonly state: ConsoleState;
  readonly act: Act;
  readonly transfer: NumberTransfer;
  /** The tenants list again, with the filters shown: what it says of the count. */
  reloadList(): Promise<string>;
  /** Reads one tenant and shows it (and its numbers) in the detail view: what it says of it. */
  select(sid: string): Promise<string>;
  /** Shows this item of the tenant in the detail view as it is. */
  showTenant(tenant: SubaccountView): void;
  /** Opens the detail view of a tenant from a control of another view. */
  open(control: HTMLElement, sid: string): Promise<void>;
}
