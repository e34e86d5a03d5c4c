/**
 * One cold start of a built function, as the Functions runtime makes it: a fresh node process running
 * the runtime's own function runner (@twilio/runtime-handler, dist/dev-runtime/internal/functionRunner.js),
 * which on its request builds the global scope (`constructGlobalScope` in dev-runtime/route.js:
 * `twilio` required, `Twilio`, `Runtime` and a lazy `twilioClient` set), builds the context,
 * `require`s the function and calls its handler; the request is sent as twilio-run's forked route
 * sends it (`functionPathToRoute`, same file). So `twilio` is loaded before the function, as the
 * runtime does. cold-start-probe.js, preloaded, marks the phases and notes the modules loaded.
 */
import { fork } from 'node:child_process';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { builtRoutes } from './built-routes';

const root = path.resolve(__dirname, '..');
const RUNNER = path.join(
  path.dirname(require.resolve('@twilio/runtime-handler/dev')),
  'internal/functionRunner.js',
);
const PROBE = path.join(__dirname, 'cold-start-probe.js');

export interface ColdStartRequest {
  functionPath: string;
  /** The Function's path, e.g. `/voice`. */
  path: string;
  /** The URL the runtime serves at (its `DOMAIN_NAME`). */
  url: string;
  /** The Function's variables (its context). */
  env: Record<string, string>;
  /** The event, as the runtime builds it (`request` with headers and cookies, parameters beside it). */
  event: Record<string, unknown>;
  /** Variables of the process itself. */
  processEnv?: Record<string, string>;
}

/** Milliseconds of each phase of one start. */
export interface ColdStartPhases {
  total: number;
  node: number;
  runtime: number;
  twilio: number;
  load: number;
  answer: number;
}

export const PHASES = ['node', 'runtime', 'twilio', 'load', 'answer'] as const;

export interface ColdStart {
  phases: ColdStartPhases;
  /** The answer's body as text. */
  body: string;
  /** Files the function's `require` loaded, and files its first answer loaded. */
  modules: { atLoad: string[]; byAnswer: string[] };
}

interface Marks {
  started: number;
  message: number;
  twilio: { started: number; ended: number };
  function: { started: number; ended: number };
  answered: number;
}

/** Routes as runtime-handler's route cache takes them (internal/route-cache.js `setRoutes`). */
const runtimeRoutes = (dir: string, kind: 'functions' | 'assets') =>
  builtRoutes(dir, kind).map((route) => ({ ...route, name: route.path }));

/** Starts a fresh runner, sends it one request, and answers what its start took and loaded. */
export function coldStart(request: ColdStartRequest): Promise<ColdStart> {
  // The parent may run under a loader (tsx): the runner is plain node, as deployed.
  const { NODE_OPTIONS: _loader, ...inherited } = process.env;
  return new Promise((resolve, reject) => {
    const forkedAt = performance.timeOrigin + performance.now();
    const child = fork(RUNNER, [], {
      cwd: root,
      execArgv: ['--require', PROBE],
      env: { ...inherited, ...request.processEnv },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on(
      'message',
      (message: {
        reply?: { body?: unknown };
        err?: unknown;
        marks?: Marks;
        modules?: ColdStart['modules'];
      }) => {
        if (!message.reply && !message.err) return;
        child.kill();
        const body = message.reply?.body;
        const text = typeof body === 'string' ? body : JSON.stringify(body);
        if (!message.reply || !message.marks || !message.modules) {
          reject(new Error(`${request.path} failed: ${JSON.stringify(message.err)}\n${stderr}`));
          return;
        }
        const marks = message.marks;
        resolve({
          body: text,
          modules: message.modules,
          phases: {
            total: marks.answered - forkedAt,
            node: marks.started - forkedAt,
            runtime: marks.message - marks.started,
            twilio: marks.twilio.ended - marks.twilio.started,
            load: marks.function.ended - marks.function.started,
            answer: marks.answered - marks.function.ended,
          },
        });
      },
    );
    child.send({
      functionPath: request.functionPath,
      event: request.event,
      config: {
        url: request.url,
        env: request.env,
        baseDir: root,
        // As the runtime lists them (`Runtime.getFunctions()`, `Runtime.getAssets()`): a function may
        // require a private Function and read a private Asset.
        routes: {
          functions: runtimeRoutes(path.join(root, 'dist/functions'), 'functions'),
          assets: runtimeRoutes(path.join(root, 'dist/assets'), 'assets'),
        },
      },
      path: request.path,
    });
  });
}

/** The npm packages among `files` (a project file counts as itself), with how many files of each. */
export function packagesOf(files: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const file of files) {
    const name =
      /[\\/]node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)/.exec(file)?.[1] ?? path.relative(root, file);
    counts[name] = (counts[name] ?? 0) + 1;
  }
  return counts;
}
