import type { SubaccountView } from '../../admin/answers';
import { AdminRefusal } from '../../client/admin-client';
import { byId } from '../common/dom';
import { callAdmin } from './admin-api';
import type { ConsoleApp } from './state';

/** A create that stopped part-way, in words: the subaccount, what it lacks and why, how to go on. */
function unfinishedCreate(error: AdminRefusal): string {
  const { subaccountSid, idempotencyKey, provisioning } = error.details as {
    subaccountSid: string;
    idempotencyKey?: string;
    provisioning?: { missing: string[]; reason: string };
  };
  return [
    `Subaccount ${subaccountSid} was created but is not complete.`,
    `Missing: ${provisioning?.missing.join(', ') ?? 'unknown'}. Why: ${provisioning?.reason ?? error.message}`,
    `Press Create again to finish it (idempotencyKey ${idempotencyKey ?? 'unknown'}; the area code may change), or select it in the list and close it.`,
  ].join('\n');
}

/**
 * "Create a subaccount": name, a number bought or moved from the main account, SMS and recording. One
 * idempotency key per subaccount (kept in the console's state until a create succeeds), so a retry after
 * a lost answer, or after a create that stopped part-way, finishes that one rather than making another.
 */
export function wireCreateForm(app: ConsoleApp): void {
  const form = byId<HTMLFormElement>('create-form');
  const name = byId<HTMLInputElement>('create-name');
  const area = byId<HTMLInputElement>('create-area');
  const move = byId<HTMLInputElement>('create-move');
  const messaging = byId<HTMLInputElement>('create-messaging');
  const recording = byId<HTMLInputElement>('create-recording');
  const pending = app.state.create;

  form.addEventListener('input', (event) => {
    // A create that stopped part-way is finished with its key, and its number may change on the way.
    const numberField = event.target === area || event.target === move;
    if (!(pending.unfinishedKey && numberField)) pending.idempotencyKey = undefined;
  });

  const create = async (idempotencyKey: string): Promise<SubaccountView> => {
    const areaCode = area.value.trim();
    const phoneNumberSid = move.value.trim();
    try {
      const { subaccount } = await callAdmin('/admin/subaccounts/create', {
        friendlyName: name.value.trim(),
        idempotencyKey,
        ...(areaCode ? { areaCode } : {}),
        ...(phoneNumberSid ? { phoneNumberSid } : {}),
        messagingService: messaging.checked,
        recording: recording.checked,
      });
      return subaccount;
    } catch (error) {
      if (!(error instanceof AdminRefusal && typeof error.details.subaccountSid === 'string')) throw error;
      pending.unfinishedKey = idempotencyKey;
      // The unfinished subaccount is in the list from now on.
      await app.reloadList().catch(() => undefined);
      throw new AdminRefusal(error.status, error.code, unfinishedCreate(error), error.body);
    }
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const key = (pending.idempotencyKey ??= crypto.randomUUID());
    void app.act(form, 'Creating the subaccount (key, app and number included)…', async () => {
      const subaccount = await create(key);
      pending.idempotencyKey = pending.unfinishedKey = undefined;
      form.reset();
      await app.reloadList();
      await app.select(subaccount.sid);
      return `Created ${subaccount.friendlyName} (${subaccount.sid}).`;
    });
  });
}
