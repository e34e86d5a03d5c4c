import { actionButton, byId, show } from '../common/dom';
import { callAdmin } from './admin-api';
import type { Act } from './feedback';

type RecordingKind = '' | 'call' | 'voicemail';

const seconds = (value: number | null) => (value === null ? '' : String(value));
const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : '');

/**
 * The selected subaccount's recordings (play through a signed link of recordings/get, delete) and its
 * call history, a page at a time. `subaccountSid` names the subaccount selected now; the function
 * returned empties both lists (another subaccount was selected).
 */
export function wireCallHistory(act: Act, subaccountSid: () => string | undefined): () => void {
  const recordingsForm = byId<HTMLFormElement>('recordings-form');
  const kind = byId<HTMLSelectElement>('recordings-kind');
  const recordingRows = byId('recordings').querySelector('tbody') as HTMLTableSectionElement;
  const recordingsMore = byId<HTMLButtonElement>('recordings-more');
  const player = byId<HTMLAudioElement>('recording-player');
  const callsForm = byId<HTMLFormElement>('calls-form');
  const callsStart = byId<HTMLInputElement>('calls-start');
  const callsEnd = byId<HTMLInputElement>('calls-end');
  const callRows = byId('calls').querySelector('tbody') as HTMLTableSectionElement;
  const callsMore = byId<HTMLButtonElement>('calls-more');
  let recordingsCursor: string | undefined;
  let callsCursor: string | undefined;

  const play = (control: HTMLElement, sid: string, recordingSid: string) =>
    act(control, 'Getting a link to the recording…', async () => {
      const { media } = await callAdmin('/admin/recordings/get', { subaccountSid: sid, recordingSid });
      player.src = media.url;
      show(player, true);
      await player.play().catch(() => undefined);
      return `Playing ${recordingSid} (its link works until ${new Date(media.expiresAt).toLocaleTimeString()}).`;
    });

  const remove = (control: HTMLElement, sid: string, recordingSid: string, row: HTMLTableRowElement) =>
    act(control, 'Deleting the recording on Twilio…', async () => {
      await callAdmin('/admin/recordings/delete', { subaccountSid: sid, recordingSid });
      row.remove();
      return `Recording ${recordingSid} deleted.`;
    });

  const loadRecordings = (append: boolean) => async () => {
    const sid = subaccountSid();
    if (!sid) return 'Select a subaccount first.';
    const selectedKind = kind.value as RecordingKind;
    const answer = await callAdmin('/admin/recordings/list', {
      subaccountSid: sid,
      ...(selectedKind ? { kind: selectedKind } : {}),
      ...(append && recordingsCursor ? { cursor: recordingsCursor } : {}),
    });
    recordingsCursor = answer.nextCursor;
    if (!append) recordingRows.replaceChildren();
    for (const recording of answer.recordings) {
      const row = recordingRows.insertRow();
      for (const text of [
        when(recording.createdAt),
        recording.kind,
        recording.callSid,
        seconds(recording.durationSeconds),
        recording.price ?? '',
      ])
        row.insertCell().textContent = text;
      row.insertCell().append(
        actionButton(
          'Play',
          `Play recording ${recording.sid}`,
          (element) => void play(element, sid, recording.sid),
        ),
        actionButton(
          'Delete',
          `Delete recording ${recording.sid}`,
          (element) => void remove(element, sid, recording.sid, row),
        ),
      );
    }
    show(recordingsMore, Boolean(recordingsCursor));
    return `${recordingRows.rows.length} recording(s) shown.`;
  };

  const loadCalls = (append: boolean) => async () => {
    const sid = subaccountSid();
    if (!sid) return 'Select a subaccount first.';
    const answer = await callAdmin('/admin/calls/list', {
      subaccountSid: sid,
      ...(callsStart.value ? { startDate: callsStart.value } : {}),
      ...(callsEnd.value ? { endDate: callsEnd.value } : {}),
      ...(append && callsCursor ? { cursor: callsCursor } : {}),
    });
    callsCursor = answer.nextCursor;
    if (!append) callRows.replaceChildren();
    for (const call of answer.calls) {
      const row = callRows.insertRow();
      for (const text of [
        when(call.startTime),
        call.identity && call.from.startsWith('client:') ? `browser (${call.identity})` : call.direction,
        call.from,
        call.to,
        seconds(call.durationSeconds),
        call.status,
        call.price ? `${call.price} ${call.priceUnit ?? ''}` : 'not priced yet',
        String(call.recordingSids.length),
      ])
        row.insertCell().textContent = text;
    }
    show(callsMore, Boolean(callsCursor));
    return `${callRows.rows.length} call(s) shown.`;
  };

  recordingsForm.addEventListener('submit', (event) => {
    event.preventDefault();
    void act(recordingsForm, 'Loading recordings…', loadRecordings(false));
  });
  recordingsMore.addEventListener(
    'click',
    () => void act(recordingsMore, 'Loading more recordings…', loadRecordings(true)),
  );
  callsForm.addEventListener('submit', (event) => {
    event.preventDefault();
    void act(callsForm, 'Loading calls…', loadCalls(false));
  });
  callsMore.addEventListener('click', () => void act(callsMore, 'Loading more calls…', loadCalls(true)));
  return () => {
    recordingRows.replaceChildren();
    callRows.replaceChildren();
    recordingsCursor = callsCursor = undefined;
    show(recordingsMore, false);
    show(callsMore, false);
    player.removeAttribute('src');
    show(player, false);
  };
}
