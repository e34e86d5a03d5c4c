import { createHash } from 'node:crypto';
import type { ServiceConfig } from '../config/config';

// One scope per configuration object: `loadConfig` hands each bundle its own object, equal in value.
const scopes = new WeakMap<ServiceConfig, string>();

/**
 * A name for the configuration a cached value was read under: the same for every bundle of one
 * process that loaded the same variables (so they share their caches), another one as soon as any
 * variable differs (new credentials, another Sync Service or registry key never see values read under
 * the old ones). A digest, so the name a cache is filed under holds no secret.
 */
export function cacheScope(config: ServiceConfig): string {
  let scope = scopes.get(config);
  if (scope === undefined) {
    // A Buffer (the registry key) serialises as its bytes (Buffer#toJSON).
    scope = createHash('sha256').update(JSON.stringify(config)).digest('base64url').slice(0, 22);
    scopes.set(config, scope);
  }
  return scope;
}
