// Runs before `npm start` and `npm test` so a fresh clone needs no other command: installs the
// dependencies when node_modules is missing or older than package-lock.json. Plain JavaScript, since
// nothing else (not even tsx) is installed yet when it runs.
const { execSync } = require('node:child_process');
const { statSync } = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const mtime = (file) => {
  try {
    return statSync(path.join(root, file)).mtimeMs;
  } catch {
    return undefined;
  }
};

// npm writes node_modules/.package-lock.json at the end of every install.
const installed = mtime('node_modules/.package-lock.json');
const lockfile = mtime('package-lock.json');
if (installed === undefined || (lockfile !== undefined && installed < lockfile)) {
  console.log('Installing dependencies (node_modules is missing or older than package-lock.json)...');
  execSync('npm ci --no-audit --no-fund', { cwd: root, stdio: 'inherit' });
}
