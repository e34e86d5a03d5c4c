// `npm run lint`: the type check beside eslint then prettier. tsc and eslint are each one busy core
// for most of their run, so on two cores side by side they take about as long as the slower alone.
// Each tool's output is printed whole once it ends (never interleaved); the exit code is non-zero when
// any of them failed. Plain JavaScript, like ensure-install.js: no build step before the checks.
const { spawn } = require('node:child_process');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);

/** Runs the commands one after the other, stopping at the first that fails; resolves with its code. */
function inTurn(commands) {
  return commands.reduce(
    (previous, [command, ...args]) => previous.then((code) => (code !== 0 ? code : run(command, args))),
    Promise.resolve(0),
  );
}

function run(command, args) {
  return new Promise((resolve) => {
    let output = '';
    const child = spawn(bin(command), args, { cwd: root, env: { ...process.env, FORCE_COLOR: '1' } });
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', (error) => {
      output += String(error);
      resolve(1);
    });
    child.on('close', (code) => {
      process.stdout.write(`> ${[command, ...args].join(' ')}\n${output}`);
      resolve(code ?? 1);
    });
  });
}

Promise.all([
  inTurn([['tsc', '--noEmit']]),
  inTurn([
    ['eslint', '.'],
    ['prettier', '--check', '.'],
  ]),
]).then((codes) => {
  process.exitCode = codes.some((code) => code !== 0) ? 1 : 0;
});
