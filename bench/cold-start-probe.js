/**
 * Preloaded (`node --require`) into the Functions runtime's own function runner by
 * bench/cold-start.bench.ts. It changes nothing the runner does; it only marks, on the clock every
 * process of the machine shares (`performance.timeOrigin + performance.now()`), when this process
 * started running JavaScript, when the runner got its request, how long `twilio` and the function took
 * to `require`, and when the answer was sent, and hands the marks back with the answer.
 */
const { performance } = require('node:perf_hooks');
const Module = require('node:module');
const path = require('node:path');

const now = () => performance.timeOrigin + performance.now();
const marks = { started: now() };
let functionPath;

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
  const loaded = load.call(this, request, ...rest);
  marks[which] = { started, ended: now() };
  return loaded;
};

const send = process.send.bind(process);
process.send = (message, ...rest) => {
  if (message && (message.reply || message.err) && marks.answered === undefined) {
    marks.answered = now();
    return send({ ...message, marks, file: path.basename(functionPath ?? '') }, ...rest);
  }
  return send(message, ...rest);
};
