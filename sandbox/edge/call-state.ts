import { chargeFor, rateOf } from '../calls/call-price';
import type { CallStatus, SandboxState } from '../state/types';

/**
 * The one place the voice edge changes a call's record, as Twilio's call progress does: ringing, then
 * in-progress once answered (its start time), then a final status with its end time and, for a call
 * that was answered, its price as sandbox/calls/call-end.ts prices a simulated call (whose StatusCallback
 * request the edge then sends through the sandbox).
 */
export function setCallStatus(state: SandboxState, callSid: string, status: CallStatus): void {
  const call = state.calls.find((candidate) => candidate.sid === callSid);
  // A final status is final: a call already ended (through the REST API, say) keeps how it ended.
  if (!call || FINAL.has(call.status)) return;
  const now = new Date().toISOString();
  call.status = status;
  call.dateUpdated = now;
  if (status === 'in-progress') call.startTime ??= now;
  if (!FINAL.has(status)) return;
  call.endTime ??= now;
  if (call.startTime) {
    const seconds = Math.round((Date.parse(call.endTime) - Date.parse(call.startTime)) / 1000);
    call.price ??= chargeFor(rateOf(call), seconds);
  }
}

const FINAL = new Set<CallStatus>(['completed', 'busy', 'no-answer', 'failed', 'canceled']);
