/**
 * Whether `npm start` can have its ports, asked before it builds anything: a port already taken (a
 * first `npm start` still running, say) is named with the process that holds it, instead of a raw
 * `listen EADDRINUSE` after dist/ was rebuilt under the running service.
 */
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:net';

export interface WantedPort {
  port: number;
  /** What it is for, as the message says it: "the service". */
  what: string;
  /** The variable that moves it: PORT, SANDBOX_PORT. */
  variable: string;
  /** The address it will listen on; every address when absent. */
  host?: string;
}

/** True when something listens on the port already (or it cannot be had for another reason). */
async function taken({ port, host }: WantedPort): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(true));
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve(false)));
  });
}

/**
 * The process listening on a port, as "node (pid 1234)", from `ss` or else `lsof`; undefined when
 * neither is there or neither may say (another user's process).
 */
export function portHolder(port: number): string | undefined {
  const attempts: [string, string[], RegExp][] = [
    ['ss', ['-ltnpH', `sport = :${port}`], /users:\(\("([^"]+)",pid=(\d+)/],
    ['lsof', ['-nP', `-iTCP:${port}`, '-sTCP:LISTEN', '-Fcp'], /^p(\d+)\nc(.+)$/m],
  ];
  for (const [tool, args, pattern] of attempts) {
    try {
      const output = execFileSync(tool, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
      const match = pattern.exec(output);
      if (!match) continue;
      const [name, pid] = tool === 'ss' ? [match[1], match[2]] : [match[2], match[1]];
      return `${name} (pid ${pid})`;
    } catch {
      // Not installed, or not allowed to look: the next tool, or no name.
    }
  }
  return undefined;
}

/** A free port after `port` that none of `wanted` asks for, to suggest; undefined when none is near. */
async function freePortAfter(port: number, wanted: readonly WantedPort[]): Promise<number | undefined> {
  for (let candidate = port + 1; candidate <= port + 20; candidate++) {
    if (wanted.some((entry) => entry.port === candidate)) continue;
    if (!(await taken({ port: candidate, what: '', variable: '' }))) return candidate;
  }
  return undefined;
}

/** Throws an Error naming each port already in use, its holder, and a free port to start on instead. */
export async function requireFreePorts(wanted: readonly WantedPort[]): Promise<void> {
  const problems: string[] = [];
  for (const entry of wanted) {
    if (!(await taken(entry))) continue;
    const holder = portHolder(entry.port);
    const instead = await freePortAfter(entry.port, wanted);
    problems.push(
      `Port ${entry.port} for ${entry.what} is in use${holder ? ` by ${holder}` : ''}: stop that process, or start on another port${
        instead ? ` (${entry.variable}=${instead} npm start)` : ` (${entry.variable}=<port> npm start)`
      }.`,
    );
  }
  if (problems.length > 0) throw new Error(problems.join('\n'));
}
