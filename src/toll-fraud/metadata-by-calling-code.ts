/**
 * libphonenumber-js's full ("max") metadata cut by calling code (metadata-split.ts). The build
 * (scripts/build.ts) replaces this module with the cut already made, so a deployed function holds
 * the codes' JSON texts and never the whole metadata as objects; run from source, it cuts at load.
 */
import full from 'libphonenumber-js/max/metadata';
import { splitByCallingCode, type MetadataIndex } from './metadata-split';

const { texts, ...index } = splitByCallingCode(full);

const metadata: MetadataIndex = {
  ...index,
  text: (code) => (Object.hasOwn(texts, code) ? texts[code] : undefined),
};

export default metadata;
