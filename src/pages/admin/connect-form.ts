import { byId } from '../common/dom';
import { callAdmin } from './admin-api';
import type { ConsoleApp } from './state';

/**
 * "Connect an account": a customer's own Twilio account (or a subaccount of their own master account)
 * by its Account SID and auth token, which the service checks with Twilio before it makes anything.
 * The token is read from its field and the field emptied as the request leaves: the page keeps it
 * nowhere, and a refusal (Twilio's, or one of the 409s: our main account, a subaccount of ours, one
 * connected already) is said in the service's words beside the form. One idempotency key per account
 * (the console's state), so a retry after a lost answer finishes that connect rather than failing on
 * an account connected meanwhile.
 */
export function wireConnectForm(app: ConsoleApp): void {
  const form = byId<HTMLFormElement>('connect-form');
  const sid = byId<HTMLInputElement>('connect-sid');
  const token = byId<HTMLInputElement>('connect-token');
  const name = byId<HTMLInputElement>('connect-name');
  const { state } = app;

  form.addEventListener('input', (event) => {
    // Another account or name is another connect; a retyped token is the same one.
    if (event.target !== token) state.connectIdempotencyKey = undefined;
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const authToken = token.value;
    token.value = '';
    const friendlyName = name.value.trim();
    const idempotencyKey = (state.connectIdempotencyKey ??= crypto.randomUUID());
    void app.act(form, 'Checking the credentials with Twilio and connecting…', async () => {
      const answer = await callAdmin('/admin/accounts/connect', {
        accountSid: sid.value.trim(),
        authToken,
        ...(friendlyName ? { friendlyName } : {}),
        idempotencyKey,
      });
      if (!('account' in answer)) throw new Error('The service answered a plan to a connect.');
      const { account } = answer;
      state.connectIdempotencyKey = undefined;
      form.reset();
      await app.reloadList();
      await app.select(account.sid);
      return `Connected ${account.friendlyName} (${account.sid}): its own API key and TwiML App are in place.`;
    });
  });
}
