/**
 * A long operation as a list of named steps, in the manner of twilio-run's deploy task list
 * (https://github.com/twilio-labs/serverless-toolkit/blob/main/packages/twilio-run/src/commands/deploy.ts):
 * each step says what it needs (fields of the operation's state), what it gives (the fields it adds)
 * and when it applies; the runner starts every step whose needs are met, all at once, so requests that
 * do not depend on each other go together and the operation takes as few round trips as its
 * dependencies allow.
 *
 *   const steps = [
 *     step<State>()({ name: 'account', needs: ['key'], gives: ['accountSid'], run: async (s) => ... }),
 *     step<State>()({ name: 'app', needs: ['accountSid'], gives: ['appSid'], run: async (s) => ... }),
 *   ];
 *   const state = await runSteps(steps, { key }, { done: (name, gave) => ... });
 *
 * Resuming: a step whose fields are all in the state it starts from is done already and does not run,
 * so an operation that keeps its state (in its operation record's progress, or in what it registered)
 * resumes a retry where the previous call stopped; each step's `run` must also be safe to repeat after
 * a call that died before recording it (look for what an earlier attempt made, then make what is
 * missing).
 *
 * A failure stops new steps from starting (but those marked `evenAfterFailure`); those running finish
 * (their fields are kept: what they made is recorded), and `runSteps` throws StepFailed with the failing
 * step, its cause and the state so far.
 */

export interface Step<S extends object, N extends keyof S = keyof S, G extends keyof S = keyof S> {
  /** Named in errors and in what an unfinished operation still lacks. */
  name: string;
  /** Fields of the state this step waits for (present: not undefined). */
  needs: readonly N[];
  /** Fields it adds; present already in the state, they mean the step is done. */
  gives: readonly G[];
  /**
   * Runs even once another step has failed, when its needs are met: a step that leaves things tidier
   * for the retry (a name, say) and that nothing failed depends on.
   */
  evenAfterFailure?: boolean;
  /** Whether the step applies (e.g. a number was asked for); asked once its needs are met. */
  when?: (state: Readonly<Partial<S>>) => boolean;
  run: (state: Readonly<Pick<S, N> & Partial<S>>) => Promise<Pick<S, G>>;
}

/** Declares a step of state `S`, typing `run` by what it needs and gives: `step<State>()({ ... })`. */
export const step =
  <S extends object>() =>
  <N extends keyof S, G extends keyof S>(declared: Step<S, N, G>): Step<S> =>
    declared as unknown as Step<S>;

export class StepFailed<S extends object> extends Error {
  constructor(
    readonly step: string,
    override readonly cause: unknown,
    /** Every field the steps that finished gave, the failing step's aside. */
    readonly state: Partial<S>,
  ) {
    super(`Step ${step} failed`);
    this.name = 'StepFailed';
  }
}

export interface StepHooks<S extends object> {
  /** Told as each step finishes, with what it gave (e.g. to record progress). */
  done?: (step: string, gave: Partial<S>, state: Readonly<Partial<S>>) => void;
}

const present = <S extends object>(state: Partial<S>, fields: readonly (keyof S)[]) =>
  fields.every((field) => state[field] !== undefined);

export async function runSteps<S extends object>(
  steps: readonly Step<S>[],
  start: Partial<S>,
  hooks: StepHooks<S> = {},
): Promise<Partial<S>> {
  const state: Partial<S> = { ...start };
  const settled = new Set<Step<S>>(steps.filter((declared) => present(state, declared.gives)));
  const running = new Map<Step<S>, Promise<void>>();
  let failure: StepFailed<S> | undefined;

  const launch = (declared: Step<S>) => {
    const run = declared
      .run(state as Pick<S, keyof S> & Partial<S>)
      .then((gave) => {
        Object.assign(state, gave);
        hooks.done?.(declared.name, gave, state);
      })
      .catch((cause: unknown) => {
        failure ??= new StepFailed(declared.name, cause, state);
      })
      .finally(() => {
        running.delete(declared);
        settled.add(declared);
      });
    running.set(declared, run);
  };

  for (;;) {
    for (const declared of steps) {
      if (settled.has(declared) || running.has(declared) || !present(state, declared.needs)) continue;
      if (failure && !declared.evenAfterFailure) continue;
      if (declared.when && !declared.when(state)) settled.add(declared);
      else launch(declared);
    }
    if (running.size === 0) break;
    await Promise.race(running.values());
  }
  if (failure) throw new StepFailed(failure.step, failure.cause, { ...state });
  return state;
}
