import {
  adminClient,
  adminTextClient,
  AdminRefusal,
  type AdminClientOptions,
} from '../../client/admin-client';
import { adminKey } from './key-store';

/**
 * The admin API as this tab calls it: the typed client with the tab's admin key, same origin, never
 * cached and without cookies. A refusal is an AdminRefusal carrying the service's own words.
 */
const options: AdminClientOptions = {
  baseUrl: window.location.origin,
  adminKey: () => {
    const key = adminKey.get();
    if (!key) throw new AdminRefusal(401, 'no_key', 'Enter the admin key first.');
    return key;
  },
  init: { cache: 'no-store', credentials: 'omit' },
};

export const callAdmin = adminClient(options);

/** The same, for answers that are text (the usage CSV). */
export const callAdminText = adminTextClient(options);
