/**
 * `npm run admin -- <command> [--param value ...] [--json]`: the admin functions for operators.
 * Readable tables by default, the raw JSON answer with --json; a refused call exits non-zero.
 */
import type { Command } from './command';
import { commands } from './commands';
import { AdminRefusal } from '../../src/client/admin-client';
import type { AdminParameters } from '../../src/admin/routes';
import { writeUsageCsv } from './csv-export';
import { adminCall, serviceTarget } from './service';
import { details } from './table';

export function parseArguments(argv: readonly string[]): {
  name?: string;
  parameters: Record<string, unknown>;
  json: boolean;
} {
  const [name, ...rest] = argv;
  const parameters: Record<string, unknown> = {};
  let json = false;
  for (let index = 0; index < rest.length; index++) {
    const flag = rest[index] ?? '';
    if (flag === '--json') {
      json = true;
      continue;
    }
    if (!flag.startsWith('--') || rest[index + 1] === undefined)
      throw new Error(`Expected --name value, got "${flag}"`);
    parameters[flag.slice(2)] = asValue(rest[++index] ?? '');
  }
  return { name, parameters, json };
}

/** JSON objects and lists (e.g. inboundRouting) are sent as JSON; everything else as text. */
function asValue(raw: string): unknown {
  if (!/^[[{]/.test(raw)) return raw;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}

function help(): string {
  const width = Math.max(...commands.map((command) => command.name.length));
  return [
    'usage: npm run admin -- <command> [--param value ...] [--json]',
    'service: SERVICE_URL (default http://localhost:3000) and ADMIN_API_KEY, or the local .env of `npm start`',
    '',
    ...commands.map(
      (command) =>
        `  ${command.name.padEnd(width)}  ${command.summary}\n  ${' '.repeat(width)}  ${command.usage}`,
    ),
  ].join('\n');
}

interface Refusal {
  code?: string;
  message?: string;
  subaccountSid?: string;
  idempotencyKey?: string;
  provisioning?: { missing: string[]; reason: string };
}

/** A refusal after something was made (a create that stopped half-way): what exists and how to go on. */
function whatWasMade(problem: Refusal | undefined): string[] {
  if (!problem?.subaccountSid) return [];
  return [
    '',
    details({
      subaccountSid: problem.subaccountSid,
      status: 'provisioning',
      missing: problem.provisioning?.missing.join(', '),
      reason: problem.provisioning?.reason,
      idempotencyKey: problem.idempotencyKey,
    }),
    '',
    `finish it: the same create with --idempotencyKey ${problem.idempotencyKey ?? '(its key)'} (number parameters may change)`,
    `or close it: close --subaccountSid ${problem.subaccountSid} --confirm ${problem.subaccountSid}`,
  ];
}

async function main(argv: readonly string[]): Promise<number> {
  const { name, parameters, json } = parseArguments(argv);
  const command: Command | undefined = commands.find((candidate) => candidate.name === name);
  if (!command) {
    console.error(name && name !== 'help' ? `Unknown command "${name}".\n\n${help()}` : help());
    return name && name !== 'help' ? 2 : 0;
  }
  try {
    if ('run' in command) {
      const body = command.run(parameters);
      console.log(json ? JSON.stringify(body, null, 2) : command.render(body));
      return 0;
    }
    if (command.path === '/admin/usage' && parameters.format === 'csv') {
      await writeUsageCsv(serviceTarget(), parameters as AdminParameters<'/admin/usage'>);
      return 0;
    }
    // Parameters from the command line are whatever was typed: the service validates them and names
    // the one at fault.
    const body = await adminCall(serviceTarget())(
      command.path,
      parameters as AdminParameters<typeof command.path>,
    );
    console.log(json ? JSON.stringify(body, null, 2) : command.render(body));
    return 0;
  } catch (error) {
    if (error instanceof AdminRefusal) {
      const problem = (error.body as { error?: Refusal } | undefined)?.error;
      console.error(
        json
          ? JSON.stringify(error.body, null, 2)
          : [`${error.status} ${error.code}: ${error.message}`, ...whatWasMade(problem)].join('\n'),
      );
      return 1;
    }
    console.error(error instanceof Error ? error.message : String(error));
    return 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : String(error));
      process.exitCode = 2;
    },
  );
}
