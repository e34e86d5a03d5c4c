/**
 * Preloaded (`node --require`) into the Functions runtime's own function runner (cold-start.ts). It
 * changes nothing the runner does; it only marks, on the clock every process of the machine shares
 * (`performance.timeOrigin + performance.now()`), when this process started running JavaScript, when
 * the runner got its request, how long `twilio` and the function took to `require`, and when the
 * answer was sent, and notes which modules the function loaded (its `require`) and which its first
 * answer loaded; all handed back with the answer.
 */
const { performance } = require('node:perf_hooks');
const Module = require('node:module');
const path = require('node:path');

const now = () => performance.timeOrigin + performance.now();
const marks = { started: now() };
let functionPath;
const modules = { atLoad: [], byAnswer: [] };
let loadedBefore = new Set();

process.on('message', (message) => {
  if (marks.message === undefined && message && message.functionPath) {
    marks.message = now();
    functionPath = message.functionPath;
  }
});

// The runtime requires `twilio` by its resolved path (runtime-handler's requireFromProject), then the
// function by its own.
const twilioMain = require.resolve('twilio', { paths: [process.cwd()] });
const load = Module._load;
Module._load = function timedLoad(request, ...rest) {
  const which = request === twilioMain ? 'twilio' : request === functionPath ? 'function' : undefined;
  if (which === undefined || marks[which] !== undefined) return load.call(this, request, ...rest);
  const started = now();
  const before = new Set(Object.keys(require.cache));
  const loaded = load.call(this, request, ...rest);
  marks[which] = { started, ended: now() };
  if (which === 'function') {
    modules.atLoad = Object.keys(require.cache).filter((file) => !before.has(file));
    loadedBefore = new Set(Object.keys(require.cache));
  }
  return loaded;
};

const send = process.send.bind(process);
process.send = (message, ...rest) => {
  if (message && (message.reply || message.err) && marks.answered === undefined) {
    marks.answered = now();
    modules.byAnswer = Object.keys(require.cache).filter((file) => !loadedBefore.has(file));
    return send({ ...message, marks, modules, file: path.basename(functionPath ?? '') }, ...rest);
  }
  return send(message, ...rest);
};
