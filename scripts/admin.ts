/**
 * `npm run admin -- <command> [--param value ...] [--json | --field path] [--all]`: the admin functions
 * for operators. Readable tables by default, the raw JSON answer with --json, one field of it with
 * --field (for scripts: `--field subaccount.sid`); a refused call exits non-zero.
 */
import type { Command, ServiceCommand } from './admin-cli/command';
import { commands } from './admin-cli/commands';
import { AdminRefusal } from '../src/client/admin-client';
import type { AdminAnswerBody, AdminParameters, AdminPath } from '../src/admin/routes';
import { closestName } from '../src/http/closest-name';
import { readAllPages, type PagedAnswer } from './admin-cli/all-pages';
import { writeUsageCsv } from './admin-cli/csv-export';
import { refusalText } from './admin-cli/refusal';
import { routeParameters } from './admin-cli/route-parameters';
import { adminCall, serviceTarget, type ServiceTarget } from './admin-cli/service';

/** Options of the CLI itself, never sent: the ones without a value, and --field. */
const SWITCHES = ['json', 'all'] as const;
const FIELD = 'field';

export interface Arguments {
  name?: string;
  parameters: Record<string, unknown>;
  json: boolean;
  all: boolean;
  field?: string;
}

export function parseArguments(argv: readonly string[]): Arguments {
  const [name, ...rest] = argv;
  const parameters: Record<string, unknown> = {};
  const switches = new Set<string>();
  let field: string | undefined;
  for (let index = 0; index < rest.length; index++) {
    const flag = rest[index] ?? '';
    const option = flag.slice(2);
    if (flag.startsWith('--') && (SWITCHES as readonly string[]).includes(option)) {
      switches.add(option);
      continue;
    }
    if (!flag.startsWith('--') || rest[index + 1] === undefined)
      throw new Error(`Expected --name value, got "${flag}"`);
    const value = rest[++index] ?? '';
    if (option === FIELD) field = value;
    else parameters[option] = asValue(value);
  }
  return { name, parameters, json: switches.has('json'), all: switches.has('all'), field };
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

/** The parameters a command takes: its route's, as the route table describes them (route-parameters.ts). */
function knownParameters(command: Command): readonly string[] | undefined {
  return 'run' in command ? command.parameters : routeParameters(command.path);
}

/**
 * A flag the command does not take is refused before anything is sent, with the flag it most likely
 * meant, as the service would refuse it (400 `unknown_parameter`).
 */
export function unknownFlag(command: Command, args: Arguments): string | undefined {
  if (args.all && !('pages' in command && command.pages)) {
    const paged = commands.filter((candidate) => 'pages' in candidate && candidate.pages);
    return `--all is for commands that read pages (${paged.map((candidate) => candidate.name).join(', ')}); ${command.name} has none.`;
  }
  const known = knownParameters(command);
  if (!known) return undefined;
  const unknown = Object.keys(args.parameters).find((name) => !known.includes(name));
  if (unknown === undefined) return undefined;
  const meant = closestName(unknown, [...known, ...SWITCHES, FIELD]);
  return meant
    ? `--${unknown} is not a parameter of ${command.name}: did you mean --${meant}?`
    : `--${unknown} is not a parameter of ${command.name}; it takes ${known.map((name) => `--${name}`).join(', ') || 'none'}.`;
}

function help(): string {
  const width = Math.max(...commands.map((command) => command.name.length));
  return [
    'usage: npm run admin -- <command> [--param value ...] [--json | --field path] [--all]',
    'service: SERVICE_URL (default http://localhost:3000) and ADMIN_API_KEY, or the local .env of `npm start`',
    'options: --json prints the whole answer, --field prints one field of it (e.g. --field subaccount.sid),',
    `         --all reads every page of ${commands
      .filter((command) => 'pages' in command && command.pages)
      .map((command) => command.name)
      .join(', ')} (progress on stderr)`,
    '',
    ...commands.map(
      (command) =>
        `  ${command.name.padEnd(width)}  ${command.summary}\n  ${' '.repeat(width)}  ${command.usage}`,
    ),
  ].join('\n');
}

/** The value at a dotted path of the answer (`subaccount.sid`, `subaccount.numbers.0.phoneNumber`). */
function fieldOf(body: unknown, field: string): string {
  let value: unknown = body;
  for (const part of field.split('.')) {
    if (typeof value !== 'object' || value === null || !(part in value))
      throw new Error(`The answer has no field ${field}; --json shows what it has.`);
    value = (value as Record<string, unknown>)[part];
  }
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

async function callService(command: ServiceCommand, args: Arguments, target: ServiceTarget) {
  const call = adminCall(target);
  const page = (cursor: string | undefined) =>
    call(command.path, {
      ...args.parameters,
      ...(cursor ? { cursor } : {}),
    } as AdminParameters<typeof command.path>);
  if (!args.all || !command.pages) return page(undefined);
  const { pages } = command;
  // Commands are held loosely in the list (see serviceCommand): each answer is its own route's.
  type Body = AdminAnswerBody<AdminPath>;
  return readAllPages<PagedAnswer>({
    page: (cursor) => page(cursor) as Promise<PagedAnswer>,
    merge: (sofar, next) => pages.merge(sofar as Body, next as Body) as PagedAnswer,
    count: (body) => pages.count(body as Body),
    noun: pages.noun,
    progress: (line) => console.error(line),
  }) as Promise<Body>;
}

async function main(argv: readonly string[]): Promise<number> {
  const args = parseArguments(argv);
  const { name, parameters, json, field } = args;
  const command: Command | undefined = commands.find((candidate) => candidate.name === name);
  if (!command) {
    const meant =
      name &&
      closestName(
        name,
        commands.map((candidate) => candidate.name),
      );
    // Asked for, help is the answer (stdout, for a pager or grep); after a wrong name it is the refusal.
    if (!name || name === 'help') {
      console.log(help());
      return 0;
    }
    console.error(`Unknown command "${name}"${meant ? `: did you mean ${meant}?` : '.'}\n\n${help()}`);
    return 2;
  }
  const refused = unknownFlag(command, args);
  if (refused) {
    console.error(refused);
    return 2;
  }
  const print = (body: unknown, rendered: () => string) =>
    console.log(field ? fieldOf(body, field) : json ? JSON.stringify(body, null, 2) : rendered());
  if ('run' in command) {
    const body = command.run(parameters);
    print(body, () => command.render(body));
    return 0;
  }
  const target = serviceTarget();
  try {
    if (command.path === '/admin/usage' && parameters.format === 'csv') {
      await writeUsageCsv(target, parameters as AdminParameters<'/admin/usage'>);
      return 0;
    }
    const body = await callService(command, args, target);
    print(body, () => command.render(body));
    return 0;
  } catch (error) {
    if (!(error instanceof AdminRefusal)) throw error;
    if (error.code === 'network') {
      console.error(`no service answers at ${target.url}: is \`npm start\` running?`);
      return 1;
    }
    console.error(json ? JSON.stringify(error.body, null, 2) : refusalText(error, command.name));
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
