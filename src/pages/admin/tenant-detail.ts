import type { SubaccountView } from '../../admin/answers';
import { byId, show } from '../common/dom';
import { callAdmin } from './admin-api';
import { sayBeside } from './feedback';
import { listToText, routingToText, textToList, textToRouting } from './inbound-routing';
import { KIND_LABEL } from './tenant-list';
import type { ConsoleApp } from './state';
import { showView } from './views';

export interface TenantDetail {
  /** Reads the tenant and shows it; what it says of it. */
  select(sid: string): Promise<string>;
  /** Shows this item as it is. */
  show(tenant: SubaccountView): void;
  /** The detail view of one tenant, from a control elsewhere: the answer is said at the top of that view. */
  open(control: HTMLElement, sid: string): Promise<void>;
}

/** `{ [name]: list }` when the operator edited the field since it was loaded, else nothing. */
function editedList(name: string, input: HTMLInputElement): Record<string, string[]> {
  return input.value === input.defaultValue ? {} : { [name]: textToList(input.value) };
}

/** The facts shown at the top of the detail view, as term and value. */
function factsOf(tenant: SubaccountView): [string, string][] {
  const connected = tenant.kind === 'connected';
  const rejected = tenant.connection?.credentialsRejected;
  return [
    ['SID', tenant.sid],
    ['Kind', KIND_LABEL[tenant.kind]],
    ['Status', tenant.status],
    ['Billed to', connected ? 'its own Twilio account' : 'the main account'],
    ['API key', tenant.apiKeySid ?? 'none'],
    ['TwiML App', tenant.twimlAppSid ?? 'none'],
    ['Caller ID', tenant.callerId ?? 'none'],
    ['Created', new Date(tenant.createdAt).toLocaleString()],
    ...(rejected
      ? [
          [
            'Credentials',
            `refused by Twilio since ${new Date(rejected.at).toLocaleString()}: update them from the list's More menu`,
          ] as [string, string],
        ]
      : []),
  ];
}

export interface DetailHooks {
  /** A tenant is shown (selected, or its item changed): the other parts of the view follow it. */
  shown(tenant: SubaccountView): void;
  /** A tenant was read and selected; `another` when it is not the one shown before. */
  selected(sid: string, another: boolean): Promise<void>;
}

/**
 * One tenant's view: its facts and settings form. A connected account shows what fits it (no
 * suspend, close or moving numbers: those are not ours to do on a customer's own account; disconnect
 * instead).
 */
export function wireTenantDetail(app: ConsoleApp, hooks: DetailHooks): TenantDetail {
  const head = byId('detail-head');
  const title = byId('detail-title');
  const facts = byId('facts');
  const form = byId<HTMLFormElement>('update-form');
  const fields = {
    name: byId<HTMLInputElement>('update-name'),
    caller: byId<HTMLInputElement>('update-caller'),
    countries: byId<HTMLInputElement>('update-countries'),
    blockedTypes: byId<HTMLInputElement>('update-blocked-types'),
    recording: byId<HTMLInputElement>('update-recording'),
    voicemail: byId<HTMLInputElement>('update-voicemail'),
    retention: byId<HTMLInputElement>('update-retention'),
    routing: byId<HTMLTextAreaElement>('update-routing'),
  };
  const { state } = app;

  const showTenant = (tenant: SubaccountView) => {
    state.selected = tenant;
    title.textContent = `${tenant.friendlyName} (${tenant.status})`;
    facts.replaceChildren(
      ...factsOf(tenant).flatMap(([term, value]) => {
        const dt = document.createElement('dt');
        dt.textContent = term;
        const dd = document.createElement('dd');
        dd.textContent = value;
        return [dt, dd];
      }),
    );
    fields.name.value = tenant.friendlyName;
    fields.caller.value = tenant.callerId ?? '';
    // As loaded (defaults filled in): sent back only when edited, so saving the form keeps a default a default.
    fields.countries.defaultValue = fields.countries.value = listToText(tenant.allowedCountries);
    fields.blockedTypes.defaultValue = fields.blockedTypes.value = listToText(tenant.blockedNumberTypes);
    fields.recording.checked = tenant.recording;
    fields.voicemail.checked = tenant.voicemail;
    fields.retention.value = tenant.recordingRetentionDays?.toString() ?? '';
    fields.routing.value = routingToText(tenant.inboundRouting);
    // The parts that fit one kind only (lifecycle controls, number moves) show for that kind.
    document.querySelectorAll<HTMLElement>('[data-kind]').forEach((part) => {
      show(part, part.dataset.kind === tenant.kind);
    });
    hooks.shown(tenant);
  };

  const select = async (sid: string): Promise<string> => {
    const { subaccount } = await callAdmin('/admin/subaccounts/get', { subaccountSid: sid });
    const another = state.selected?.sid !== subaccount.sid;
    showTenant(subaccount);
    await hooks.selected(subaccount.sid, another);
    return `${subaccount.friendlyName} selected.`;
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const tenant = state.selected;
    if (!tenant) return;
    void app.act(form, 'Saving…', async () => {
      const { subaccount: updated } = await callAdmin('/admin/subaccounts/update', {
        subaccountSid: tenant.sid,
        ifRevision: tenant.revision,
        friendlyName: fields.name.value.trim(),
        ...(fields.caller.value.trim() ? { callerId: fields.caller.value.trim() } : {}),
        ...editedList('allowedCountries', fields.countries),
        ...editedList('blockedNumberTypes', fields.blockedTypes),
        recording: fields.recording.checked,
        voicemail: fields.voicemail.checked,
        recordingRetentionDays: fields.retention.value ? Number(fields.retention.value) : null,
        inboundRouting: textToRouting(fields.routing.value),
      });
      showTenant(updated);
      await app.reloadList();
      return 'Saved.';
    });
  });
  byId<HTMLButtonElement>('back-to-list').addEventListener('click', () => showView('subaccounts'));

  return {
    select,
    show: showTenant,
    open: (control, sid) =>
      app.act(control, 'Loading…', async () => {
        const done = await select(sid);
        showView('detail');
        sayBeside(head, done, 'ok');
        return done;
      }),
  };
}
