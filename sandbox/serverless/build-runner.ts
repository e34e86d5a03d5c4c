import createDebug from 'debug';
import type { BuildInput, BuildOutcome } from '../serverless-runtime/types';
import type { SandboxState } from '../state/types';
import { buildInputOf } from './build-input';
import type { ContentStore } from './content-store';

const debug = createDebug('twilio-sandbox:serverless:build');

/** What turns a Build's files and dependencies into something that can run (sandbox/serverless-runtime). */
export type Builder = (input: BuildInput) => Promise<BuildOutcome>;

/** What the runner needs from the sandbox: its current state (replaced on every write) and its content. */
export interface BuildHost {
  readonly state: SandboxState;
  readonly contents: ContentStore;
  persist(): void;
}

/**
 * Twilio builds a created Build on its own while the client polls its Status: each Build still
 * `building` is handed to the builder once, and its outcome written back (`completed`, or `failed` with
 * Twilio's error code and reason, which the sandbox's record shows since the Build resource does not).
 */
export class BuildRunner {
  private readonly running = new Map<string, Promise<void>>();

  constructor(private readonly builder: Builder) {}

  /** Starts every Build that is `building` and not started yet (also after a restart). */
  startPending(host: BuildHost): void {
    for (const build of host.state.serverless.builds) {
      if (build.status !== 'building' || this.running.has(build.sid)) continue;
      this.running.set(build.sid, this.run(host, build.sid));
    }
  }

  /** Resolves once every Build started so far has ended. */
  async settled(): Promise<void> {
    await Promise.all(this.running.values());
  }

  private async run(host: BuildHost, buildSid: string): Promise<void> {
    let outcome: BuildOutcome;
    try {
      const build = host.state.serverless.builds.find((candidate) => candidate.sid === buildSid);
      if (!build) return;
      outcome = await this.builder(buildInputOf(host.state, host.contents, build));
    } catch (error) {
      debug('build %s threw: %O', buildSid, error);
      outcome = { status: 'failed', code: 20500, message: (error as Error).message };
    }
    debug('build %s %s', buildSid, outcome.status);
    // The state may have been replaced while building (every write swaps in a new copy): find it again.
    const build = host.state.serverless.builds.find((candidate) => candidate.sid === buildSid);
    if (!build) return;
    build.status = outcome.status;
    build.error = outcome.status === 'failed' ? { code: outcome.code, message: outcome.message } : null;
    build.dateUpdated = new Date().toISOString();
    host.persist();
  }
}
