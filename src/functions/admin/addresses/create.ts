import { adminDeps } from '../../../admin/deps';
import { addAddress } from '../../../admin/numbers/add-address';
import { adminRoute } from '../../../admin/routes/admin-route';

/** POST /admin/addresses/create: an Address in the main account or a subaccount, for numbers that need one. */
export const handler = adminRoute('/admin/addresses/create', async ({ config, parameters }) => {
  const added = await addAddress(adminDeps(config), parameters);
  return { status: added.created ? 201 : 200, body: added };
});
