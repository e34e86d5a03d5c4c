import { ServiceError } from '../errors/service-error';

/**
 * Why /token refused a ticket, as codes a browser can act on: `ticket_expired` means "ask your
 * back-end for a fresh ticket", `ticket_invalid` means "this ticket will never work", `ticket_missing`
 * means "send one". All are 401; none repeats the ticket or says how close a forgery came.
 */
export const ticketMissing = () =>
  new ServiceError(401, 'ticket_missing', 'Send the ticket in the header "Authorization: Bearer <ticket>".');

/**
 * 400: a `ticket` parameter. It is never read (its value is not repeated either): query and body reach
 * a Function merged, so it may have come from a URL, which logs and browser history keep.
 */
export const ticketInParameters = () =>
  new ServiceError(
    400,
    'ticket_in_parameters',
    'Send the ticket in the header "Authorization: Bearer <ticket>", not as a parameter: a parameter can come from a URL, and URLs are kept in logs.',
  );

export const ticketExpired = () =>
  new ServiceError(401, 'ticket_expired', 'The ticket has expired; get a new one from your application.');

const NOT_YET_VALID = {
  nbf: 'its nbf (not before) is in the future',
  iat: 'its iat (issued at) is in the future; check the clock of the server that signs tickets',
} as const;

/** A ticket from the future: `claim` says which of its times is ahead of ours. */
export const ticketNotYetValid = (claim: keyof typeof NOT_YET_VALID) =>
  new ServiceError(401, 'ticket_not_yet_valid', `The ticket is not valid yet: ${NOT_YET_VALID[claim]}.`);

export const ticketInvalid = (reason: string) =>
  new ServiceError(401, 'ticket_invalid', `The ticket is not valid: ${reason}.`);
