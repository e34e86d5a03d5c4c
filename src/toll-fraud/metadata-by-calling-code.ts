/**
 * libphonenumber-js's full ("max") metadata cut by calling code (metadata-split.ts). The build
 * (scripts/build.ts) replaces this module with the cut already made, so a deployed function holds
 * the codes' JSON texts and never the whole metadata as objects; run from source, it cuts at load.
 */
import full from 'libphonenumber-js/max/metadata';
import { splitByCallingCode } from './metadata-split';

export default splitByCallingCode(full);
