import type { ServiceConfig } from './config';

/**
 * State kept per configuration, such as a cache: `loadConfig` hands back the same frozen object while
 * the variables are unchanged, so hot paths find their state by object identity, building no key
 * strings, and a changed configuration (new credentials) never sees state made under the old one.
 */
export function perConfig<State>(create: (config: ServiceConfig) => State) {
  let states = new WeakMap<ServiceConfig, State>();
  return {
    of(config: ServiceConfig): State {
      let state = states.get(config);
      if (state === undefined) {
        state = create(config);
        states.set(config, state);
      }
      return state;
    },
    /** For tests: forget every configuration's state. */
    clear(): void {
      states = new WeakMap();
    },
  };
}
