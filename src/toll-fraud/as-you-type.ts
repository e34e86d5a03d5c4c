/**
 * libphonenumber-js's AsYouType on the guard's metadata (phone-numbers.ts), for the one reader that
 * types digits in: the reading of dialling prefixes kept by earlier releases
 * (registry/dialling-prefix-migration.ts). A module of its own, so that classifying a number on a hot
 * path never evaluates the as-you-type formatter, the larger part of the package's code.
 */
import { AsYouType as CoreAsYouType } from 'libphonenumber-js/core';
import { metadata } from './phone-numbers';

export class AsYouType extends CoreAsYouType {
  constructor() {
    super(undefined, metadata);
  }
}
