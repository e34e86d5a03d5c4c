/**
 * The admin CLI learns which flags each command takes from docs/openapi.json, not from the route table
 * itself (scripts/admin-cli/route-parameters.ts): the names it reads there are the route table's own.
 */
import { routeParameters } from '../../scripts/admin-cli/route-parameters';
import { adminRoutes, type AdminPath } from '../../src/admin/routes';
import { parameterNames } from '../../src/http/parameter-names';

it('reads, for every admin route, exactly the parameter names the route table takes', () => {
  for (const routePath of Object.keys(adminRoutes) as AdminPath[]) {
    expect({ routePath, names: routeParameters(routePath) }).toEqual({
      routePath,
      names: parameterNames(adminRoutes[routePath].parameters),
    });
  }
});
