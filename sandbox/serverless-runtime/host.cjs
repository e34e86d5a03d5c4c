/**
 * One deployment's Functions in a process of their own, as Twilio runs them: each Function from the
 * file named by its Function Version's SID, through the @twilio/runtime-handler the Build installed
 * (its dev runtime, the one twilio-run start uses: node_modules/@twilio/runtime-handler/dist/dev-runtime),
 * so the Runtime and Twilio globals, context.getTwilioClient() and Runtime.getFunctions()/getAssets()
 * are the handler's own. Nothing here is required from the project: the Build's folder has no
 * node_modules above it but its own.
 *
 * Started by host-process.ts with an IPC channel; the first message says what to do:
 * - `check`: require each Function alone, as Twilio's build health check does; answers the first that
 *   cannot load (a relative import of another project file, a package the Build did not install).
 * - `serve`: listen on a free local port for the gateway (gateway.ts), which alone is reached from
 *   outside; answers the port.
 */
'use strict';
const http = require('node:http');
const path = require('node:path');

process.once('message', (setup) => {
  try {
    const server = developmentServer(setup);
    if (setup.mode === 'check') return check(setup);
    serve(server.getApp());
  } catch (error) {
    process.send({ failure: { message: firstLine(error) } }, () => process.exit(1));
  }
});

/** The Build's runtime-handler dev server over the SID-named files; also sets the runtime globals. */
function developmentServer({ buildDir, url, env, functions, assets }) {
  const handler = path.join(buildDir, 'node_modules/@twilio/runtime-handler/dist/dev-runtime/dev-runtime.js');
  let LocalDevelopmentServer;
  try {
    ({ LocalDevelopmentServer } = require(handler));
  } catch {
    throw new Error("The Build's Dependencies have no @twilio/runtime-handler, which runs every Function.");
  }
  return new LocalDevelopmentServer(0, {
    baseDir: buildDir,
    env,
    port: 0,
    url,
    detailedLogs: false,
    live: false,
    logs: false,
    legacyMode: false,
    appName: 'twilio-sandbox-runtime',
    forkProcess: false,
    enableDebugLogs: false,
    routes: { functions, assets },
  });
}

function check({ functions }) {
  for (const fn of functions) {
    try {
      const loaded = require(fn.filePath);
      if (typeof loaded.handler !== 'function') throw new Error('It exports no handler function.');
    } catch (error) {
      return process.send({ failure: { sid: fn.name, path: fn.path, message: firstLine(error) } }, () =>
        process.exit(0),
      );
    }
  }
  process.send({ checked: functions.length }, () => process.exit(0));
}

function serve(app) {
  const server = http.createServer((req, res) => {
    // The Function never sees the host it was reached at (see gateway.ts).
    delete req.headers.host;
    const raw = [];
    for (let i = 0; i < req.rawHeaders.length; i += 2)
      if (req.rawHeaders[i].toLowerCase() !== 'host') raw.push(req.rawHeaders[i], req.rawHeaders[i + 1]);
    req.rawHeaders.splice(0, req.rawHeaders.length, ...raw);
    app(req, res);
  });
  server.listen(0, '127.0.0.1', () => process.send({ listening: server.address().port }));
}

/** "Cannot find module '../x'" without the require stack, which names folders of this machine. */
function firstLine(error) {
  return String((error && error.message) || error).split('\n')[0];
}
