/**
 * State one Node.js process shares between all the functions it runs. Each deployed function is its
 * own bundle (scripts/build.ts), so a module-level variable exists once per bundle: /voice, /token and
 * the callbacks would each hold their own copy of a tenant, read it once each, and a write through one
 * of them (suspend, update) would leave the others' copies in place. Functions that run in one process see
 * the same `globalThis`, so state kept there is shared by all of them: the runtime-handler loads each
 * function file with `require` into the process that serves the requests when it does not fork
 * (https://github.com/twilio-labs/serverless-toolkit/blob/main/packages/runtime-handler/src/dev-runtime/route.ts,
 * `twilio-run start --no-fork-process`). Twilio does not document how its deployed runtime groups
 * functions into processes (not confirmed); where each function had a process of its own, each holds
 * its own copy and every bound stated with the caches (docs/hot-path.md) still holds, since none
 * relies on the sharing.
 *
 * The registry is keyed by a symbol that carries a version: a bundle built with another shape of the
 * shared state uses another registry instead of misreading this one.
 */
const REGISTRY = Symbol.for('twilio-subaccount-voice.process-wide.v1');

type Registry = Map<string, unknown>;

function registry(): Registry {
  const holder = globalThis as { [REGISTRY]?: Registry };
  holder[REGISTRY] ??= new Map();
  return holder[REGISTRY];
}

/** The process's one `name`, made by `create` the first time any bundle asks for it. */
export function processWide<T>(name: string, create: () => T): T {
  const states = registry();
  let state = states.get(name) as T | undefined;
  if (state === undefined) {
    state = create();
    states.set(name, state);
  }
  return state;
}

/** For tests: forget every process-wide state (every cache starts cold). */
export function clearProcessWide(): void {
  registry().clear();
}
