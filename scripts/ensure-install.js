// Runs before `npm start` and `npm test` so a fresh clone needs no other command: installs the
// dependencies when node_modules is missing or older than package-lock.json. Plain JavaScript, since
// nothing else (not even tsx) is installed yet when it runs.
const { execSync } = require('node:child_process');
const { lstatSync, statSync } = require('node:fs');
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
// A node_modules that is a link belongs to another tree (the tests' fresh clones link the repository's):
// installing through it would empty that tree under everything else using it. Install there instead.
const linked = (() => {
  try {
    return lstatSync(path.join(root, 'node_modules')).isSymbolicLink();
  } catch {
    return false;
  }
})();
const stale = installed === undefined || (lockfile !== undefined && installed < lockfile);
if (stale && linked) {
  console.log('node_modules is a link to another tree, older than package-lock.json: run npm ci there.');
} else if (stale) {
  console.log('Installing dependencies (node_modules is missing or older than package-lock.json)...');
  execSync('npm ci --no-audit --no-fund', { cwd: root, stdio: 'inherit' });
}
