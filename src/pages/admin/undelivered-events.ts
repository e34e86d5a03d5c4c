import { byId } from '../common/dom';
import { callAdmin } from './admin-api';
import type { Act } from './feedback';

/**
 * "Undelivered events": each press sends a page of the events the company's back-end did not receive
 * again (docs/events.md) and lists those still pending; the next press goes on with the next page.
 */
export function wireUndeliveredEvents(act: Act): void {
  const button = byId<HTMLButtonElement>('redeliver');
  const rows = byId('undelivered').querySelector('tbody') as HTMLTableSectionElement;
  let cursor: string | undefined;
  button.addEventListener(
    'click',
    () =>
      void act(button, 'Sending undelivered events again…', async () => {
        const answer = await callAdmin('/admin/events/redeliver', cursor ? { cursor } : {});
        cursor = answer.nextCursor;
        rows.replaceChildren();
        for (const event of answer.pending) {
          const row = rows.insertRow();
          for (const text of [
            event.created,
            event.type,
            event.subaccountSid,
            String(event.attempts),
            event.lastError,
          ])
            row.insertCell().textContent = text;
        }
        const next = cursor ? ' Press again for the next page.' : '';
        return `${answer.delivered.length} event(s) delivered, ${answer.pending.length} still pending.${next}`;
      }),
  );
}
