/** The parameters of `create` (create.ts), as the route table publishes them. */
import { z } from 'zod';
import {
  addressSid,
  allowedCountryList,
  blockedNumberTypeList,
  flag,
  friendlyName,
  idempotencyKey,
  phoneNumberSid,
} from '../../parameters';

export const createParameters = z
  .object({
    friendlyName,
    /** Optional: without one, the answer carries a generated key to retry with. */
    idempotencyKey: idempotencyKey.optional(),
    /** Move this number from the main account to the subaccount... */
    phoneNumberSid: phoneNumberSid.optional(),
    /** ...or buy one, by area code and/or country. */
    areaCode: z
      .string()
      .regex(/^\d{3}$/, 'must be 3 digits')
      .optional(),
    isoCountry: z
      .string()
      .regex(/^[A-Z]{2}$/, 'must be an ISO country code like US')
      .optional(),
    /** The Address a number that needs one is moved or bought with (Twilio's AddressSid). */
    addressSid: addressSid.optional(),
    messagingService: flag.default(false),
    recording: flag.default(false),
    /** The toll-fraud guard; by default the caller ID's country, and the default blocked types. */
    allowedCountries: allowedCountryList.optional(),
    blockedNumberTypes: blockedNumberTypeList.optional(),
  })
  .superRefine((value, context) => {
    const wantsNumber = Boolean(value.phoneNumberSid || value.areaCode || value.isoCountry);
    if (value.phoneNumberSid && (value.areaCode || value.isoCountry)) {
      context.addIssue({
        code: 'custom',
        path: ['phoneNumberSid'],
        message: 'give either phoneNumberSid (move a number) or areaCode/isoCountry (buy one), not both',
      });
    }
    if (value.messagingService && !wantsNumber) {
      context.addIssue({
        code: 'custom',
        path: ['messagingService'],
        message: 'needs a number: give phoneNumberSid, areaCode or isoCountry too',
      });
    }
    if (value.addressSid && !wantsNumber) {
      context.addIssue({
        code: 'custom',
        path: ['addressSid'],
        message: 'is for a number: give phoneNumberSid, areaCode or isoCountry too',
      });
    }
  });

export type CreateParameters = z.output<typeof createParameters>;

/** The parameters a retry that finishes an unfinished create may change: the number was the problem. */
export const NUMBER_PARAMETERS = ['phoneNumberSid', 'areaCode', 'isoCountry', 'addressSid'] as const;
