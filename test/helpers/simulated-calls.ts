import type { Sandbox } from '../../sandbox';
import type { ProvisionedTenant } from '../../testkit/provision-tenant';

/** The SIDs of the three calls `placeThreeCalls` made. */
export interface ThreeCalls {
  answered: string;
  voicemail: string;
  outgoing: string;
}

/**
 * The calls the recordings and call-history suites look at, played through the sandbox to their end: an
 * inbound call to the tenant's first number answered for `seconds.answered`, one nobody answered where
 * the caller leaves `seconds.voicemail` of message, and alice's browser call to a number answered for
 * `seconds.outgoing`.
 */
export async function placeThreeCalls(
  sandbox: Sandbox,
  tenant: ProvisionedTenant,
  seconds: { answered: number; voicemail: number; outgoing: number },
): Promise<ThreeCalls> {
  const number = tenant.numbers[0] as string;
  const answered = await sandbox.inboundCall({ to: number, from: '+14155550100' });
  await sandbox.completeCall(answered.callSid, { answeredSeconds: seconds.answered });
  const unanswered = await sandbox.inboundCall({ to: number, from: '+14155550101' });
  await sandbox.followDialAction(unanswered.callSid, { DialCallStatus: 'no-answer' });
  await sandbox.leaveVoicemail(unanswered.callSid, { seconds: seconds.voicemail });
  const outgoing = await sandbox.outgoingClientCall({
    token: tenant.voiceToken('alice'),
    to: '+14155550199',
  });
  await sandbox.completeCall(outgoing.callSid, { answeredSeconds: seconds.outgoing });
  return { answered: answered.callSid, voicemail: unanswered.callSid, outgoing: outgoing.callSid };
}
