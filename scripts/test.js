// `npm test`: the checks of `npm run lint` (scripts/lint.js) and every jest suite, side by side. The
// suites spend much of their time waiting (on the sandbox's injected latency, on browsers, on twilio-run
// starting), so the type check, eslint and prettier use that time instead of running before it.
// jest's output streams as it comes; lint prints each tool's output whole when it ends. Arguments go to
// jest (`npm test -- test/config`); the exit code is non-zero when either failed. Plain JavaScript, like
// lint.js: nothing to build before the checks.
const { spawn } = require('node:child_process');
const path = require('node:path');

const root = path.resolve(__dirname, '..');

function run(args) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: root, stdio: 'inherit' });
    child.on('error', () => resolve(1));
    child.on('close', (code) => resolve(code ?? 1));
  });
}

Promise.all([
  run([path.join(root, 'scripts/lint.js')]),
  run([require.resolve('jest/bin/jest', { paths: [root] }), ...process.argv.slice(2)]),
]).then(([lint, jest]) => {
  if (lint !== 0) console.error('npm test: npm run lint failed (its output is above).');
  process.exitCode = lint !== 0 || jest !== 0 ? 1 : 0;
});
