/**
 * Finds the Chromium (or Chrome) the browser suites drive, so `npm test` needs nothing but Node:
 * `CHROMIUM_PATH`, then `chromium`, `chromium-browser`, `google-chrome` on PATH. Where none is found on
 * Debian or Ubuntu with root (or passwordless `sudo -n`), Debian's `chromium` is installed with apt-get;
 * anywhere else the run stops with one line saying how to get one.
 *
 * The decision (`planChromium`) only asks questions of a `Machine`, so it is tested with a made-up one,
 * without looking at this machine or running apt.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

export const CHROMIUM_NAMES = ['chromium', 'chromium-browser', 'google-chrome'] as const;

/** Debian's browser, and a font for it: without one, pages render no text. */
const APT_PACKAGES = ['chromium', 'fonts-dejavu-core'];

/** What the decision needs to know about the machine it runs on. */
export interface Machine {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly platform: NodeJS.Platform;
  isExecutable(file: string): boolean;
  /** The contents of /etc/os-release, if the machine has one. */
  osRelease(): string | undefined;
  isRoot(): boolean;
  /** Whether `sudo -n` runs a command without asking for a password. */
  canSudo(): boolean;
  /** Runs a command to its end; `error` is the last line it wrote to stderr when it failed. */
  run(command: readonly string[], env: Readonly<Record<string, string>>): { ok: boolean; error: string };
}

export type ChromiumPlan =
  | { kind: 'found'; executable: string }
  | { kind: 'install'; commands: readonly (readonly string[])[] }
  | { kind: 'unavailable'; message: string };

export function planChromium(machine: Machine): ChromiumPlan {
  const configured = machine.env.CHROMIUM_PATH;
  if (configured) {
    return machine.isExecutable(configured)
      ? { kind: 'found', executable: configured }
      : {
          kind: 'unavailable',
          message: `CHROMIUM_PATH is ${configured}, which is not an executable file: point it at a Chromium or Chrome executable, or unset it to look on PATH.`,
        };
  }
  for (const name of CHROMIUM_NAMES) {
    const executable = onPath(machine, name);
    if (executable) return { kind: 'found', executable };
  }

  const debian =
    machine.platform === 'linux' && isDebianLike(machine.osRelease()) && onPath(machine, 'apt-get');
  if (debian && (machine.isRoot() || machine.canSudo())) {
    // sudo passes a VAR=value argument on to the command; as root the variable comes from run's env.
    const prefix = machine.isRoot() ? [] : ['sudo', '-n', 'DEBIAN_FRONTEND=noninteractive'];
    return {
      kind: 'install',
      commands: [
        [...prefix, 'apt-get', 'update', '-qq'],
        [...prefix, 'apt-get', 'install', '-y', '-qq', '--no-install-recommends', ...APT_PACKAGES],
      ],
    };
  }
  const how = debian
    ? `run "sudo apt-get install ${APT_PACKAGES.join(' ')}"`
    : 'install Chromium or Google Chrome';
  return {
    kind: 'unavailable',
    message: `No Chromium or Chrome for the browser tests (looked at CHROMIUM_PATH, then ${CHROMIUM_NAMES.join(', ')} on PATH): ${how}, or set CHROMIUM_PATH to its executable.`,
  };
}

/**
 * The executable the browser suites are to launch, installing Debian's Chromium first when the plan says
 * so. Throws a `oneLineError` when there is none to be had.
 */
export function ensureChromium(
  machine: Machine = thisMachine(),
  log: (line: string) => void = console.log,
): string {
  const plan = planChromium(machine);
  if (plan.kind === 'found') return plan.executable;
  if (plan.kind === 'unavailable') throw oneLineError(plan.message);

  log(
    `No Chromium or Chrome on PATH: installing Debian's ${APT_PACKAGES.join(' and ')} with apt-get for the browser tests.`,
  );
  for (const command of plan.commands) {
    const { ok, error } = machine.run(command, { DEBIAN_FRONTEND: 'noninteractive' });
    if (!ok) {
      throw oneLineError(
        `"${command.join(' ')}" failed (${error || 'no message'}): install Chromium yourself or set CHROMIUM_PATH to a Chromium or Chrome executable.`,
      );
    }
  }
  const after = planChromium(machine);
  if (after.kind === 'found') return after.executable;
  throw oneLineError(
    `apt-get installed ${APT_PACKAGES[0]}, yet none of ${CHROMIUM_NAMES.join(', ')} is on PATH: set CHROMIUM_PATH to its executable.`,
  );
}

/** Jest prints the stack of an error thrown by globalSetup; this one's stack is its message alone. */
export function oneLineError(message: string): Error {
  const error = new Error(message);
  error.stack = message;
  return error;
}

function onPath(machine: Machine, name: string): string | undefined {
  for (const dir of (machine.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const file = path.join(dir, name);
    if (machine.isExecutable(file)) return file;
  }
  return undefined;
}

/** os-release(5): ID names the distribution, ID_LIKE the ones it derives from (space separated, maybe quoted). */
function isDebianLike(osRelease: string | undefined): boolean {
  const ids = [...(osRelease ?? '').matchAll(/^(?:ID|ID_LIKE)=(.*)$/gm)].flatMap((match) =>
    (match[1] ?? '').replace(/["']/g, '').split(/\s+/),
  );
  return ids.includes('debian') || ids.includes('ubuntu');
}

export function thisMachine(): Machine {
  return {
    env: process.env,
    platform: process.platform,
    isExecutable(file) {
      try {
        accessSync(file, constants.X_OK);
        return statSync(file).isFile();
      } catch {
        return false;
      }
    },
    osRelease() {
      try {
        return readFileSync('/etc/os-release', 'utf8');
      } catch {
        return undefined;
      }
    },
    isRoot: () => process.getuid?.() === 0,
    canSudo: () => spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0,
    run(command, env) {
      const [file = '', ...args] = command;
      const result = spawnSync(file, args, {
        env: { ...process.env, ...env },
        stdio: ['ignore', 'ignore', 'pipe'],
        encoding: 'utf8',
      });
      const lines = `${result.error?.message ?? ''}\n${result.stderr ?? ''}`.trim().split('\n');
      return { ok: result.status === 0, error: (lines.at(-1) ?? '').trim() };
    },
  };
}
