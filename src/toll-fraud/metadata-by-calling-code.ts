/**
 * libphonenumber-js's full ("max") metadata cut by calling code (metadata-split.ts). The build
 * (scripts/build.ts) replaces this module with the index alone, the groups' texts being private
 * Assets of the service; run from source, it cuts at load and holds the texts.
 */
import full from 'libphonenumber-js/max/metadata';
import { groupTexts, splitByCallingCode, type MetadataIndex } from './metadata-split';

const { texts, ...index } = splitByCallingCode(full);
const groups = groupTexts(texts);

const metadata: MetadataIndex = {
  ...index,
  groupText: (group) => (Object.hasOwn(groups, group) ? groups[group] : undefined),
};

export default metadata;
