import { ServiceError } from '../errors/service-error';

/**
 * A registry item that is refused (it does not verify, does not parse, or its key and content
 * disagree), named `map/key`: nothing is done with it until an operator corrects or removes it.
 */
export function invalidItem(item: string, reason: string): ServiceError {
  return new ServiceError(
    500,
    'registry_item_invalid',
    `Registry item ${item} is not valid (${reason}); nothing is done with it until an operator corrects or removes it.`,
    { item },
  );
}
