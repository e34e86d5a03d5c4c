import { startSandbox } from '../sandbox';
import { adminDeps } from '../src/admin/deps';
import { checkAll, checkParameters } from '../src/admin/subaccounts/check';
import { loadConfig } from '../src/config/config';
import { addTenantsInBulk } from '../test/helpers/bulk-tenants';
import { sandboxEnv } from '../test/helpers/provision-tenant';
import { serviceEnv } from '../test/helpers/service-env';
async function main() {
  const sandbox = await startSandbox({ validateSpec: false });
  const env = sandboxEnv(sandbox, serviceEnv());
  await addTenantsInBulk(sandbox, env, 1000);
  const deps = adminDeps(loadConfig(env));
  for (const latency of [0, 0, 150, 150]) {
    sandbox.setLatency(latency);
    const t = performance.now();
    const r = await checkAll(deps, checkParameters.parse({ pageSize: 100 }));
    console.log(latency, Math.round(performance.now() - t), r.subaccounts.length);
  }
  await sandbox.close();
}
void main();
