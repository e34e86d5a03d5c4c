import { z } from 'zod';
import { decodeCursor, encodeCursor } from '../../twilio/page-cursor';
import type { AdminDeps } from '../deps';
import { accountSid, cursor, pageSize } from '../parameters';
import { twilioCall } from '../twilio-call';
import { numberOwner } from './owner';

export const listNumbersParameters = z.object({
  /** Whose numbers; the main account's when absent. */
  accountSid: accountSid.optional(),
  pageSize: pageSize.default(50),
  cursor: cursor.optional(),
});

export type ListNumbersParameters = z.output<typeof listNumbersParameters>;

/** One page of the numbers an account owns, with where each one's calls go. */
export async function listNumbers(deps: AdminDeps, parameters: ListNumbersParameters) {
  const owner = await numberOwner(deps, parameters.accountSid ?? deps.config.accountSid, 'accountSid');
  const page = await twilioCall(
    `Listing numbers of ${owner.sid}`,
    deps.clients
      .actingOn(owner.sid)
      .incomingPhoneNumbers.page({ pageSize: parameters.pageSize, ...decodeCursor(parameters.cursor) }),
  );
  const nextCursor = encodeCursor(page.nextPageUrl);
  return {
    accountSid: owner.sid,
    numbers: page.instances.map((number) => ({
      sid: number.sid,
      phoneNumber: number.phoneNumber,
      friendlyName: number.friendlyName,
      voiceApplicationSid: number.voiceApplicationSid || null,
      voiceUrl: number.voiceUrl || null,
      addressRequirements: number.addressRequirements,
    })),
    ...(nextCursor ? { nextCursor } : {}),
  };
}
