import type { CallStatus, SandboxState } from '../state/types';

/**
 * The one place the voice edge changes a call's record, as Twilio's call progress does: ringing, then
 * in-progress once answered (its start time), then a final status with its end time. Kept alone so
 * the call lifecycle (end of call, duration, price, callbacks) can take over from here.
 */
export function setCallStatus(state: SandboxState, callSid: string, status: CallStatus): void {
  const call = state.calls.find((candidate) => candidate.sid === callSid);
  if (!call) return;
  const now = new Date().toISOString();
  call.status = status;
  call.dateUpdated = now;
  if (status === 'in-progress') call.startTime ??= now;
  if (FINAL.has(status)) call.endTime ??= now;
}

const FINAL = new Set<CallStatus>(['completed', 'busy', 'no-answer', 'failed', 'canceled']);
