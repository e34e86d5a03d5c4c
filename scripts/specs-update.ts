/**
 * `npm run specs:update -- <tag> [--from <folder>]`: replaces the twilio-oai descriptions the sandbox
 * is held to (sandbox/spec/twilio-oai) with those of another twilio-oai release tag
 * (https://github.com/twilio/twilio-oai/tags), and records the tag in its VERSION file.
 *
 * With `--from`, the files are copied from a folder: a checkout of twilio-oai at that tag, or its
 * `spec/json` folder. Without it, the tag's tarball is downloaded from GitHub (needs network) and only
 * the files the sandbox uses are kept. Then run the sandbox's suites: a new description may refuse
 * what the sandbox answers.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SPEC_DIR, SPEC_FILES } from '../sandbox/spec/specs';

const TAG = /^[0-9]+\.[0-9]+\.[0-9]+$/;

function specFolder(root: string): string {
  const nested = path.join(root, 'spec', 'json');
  return existsSync(nested) ? nested : root;
}

async function download(tag: string, into: string): Promise<string> {
  const url = `https://github.com/twilio/twilio-oai/archive/refs/tags/${tag}.tar.gz`;
  const response = await fetch(url);
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}`);
  const tarball = path.join(into, 'twilio-oai.tar.gz');
  writeFileSync(tarball, Buffer.from(await response.arrayBuffer()));
  const files = [...new Set(Object.values(SPEC_FILES))].map((file) => `twilio-oai-${tag}/spec/json/${file}`);
  execFileSync('tar', ['-xzf', tarball, '-C', into, ...files]);
  return path.join(into, `twilio-oai-${tag}`, 'spec', 'json');
}

async function main(): Promise<void> {
  const [tag, flag, from] = process.argv.slice(2);
  if (!tag || !TAG.test(tag) || (flag !== undefined && (flag !== '--from' || !from))) {
    throw new Error('Usage: npm run specs:update -- <tag, e.g. 2.3.4> [--from <twilio-oai folder>]');
  }
  const work = mkdtempSync(path.join(tmpdir(), 'twilio-oai-'));
  try {
    const source = from ? specFolder(path.resolve(from)) : await download(tag, work);
    for (const file of new Set(Object.values(SPEC_FILES))) {
      copyFileSync(path.join(source, file), path.join(SPEC_DIR, file));
    }
    writeFileSync(path.join(SPEC_DIR, 'VERSION'), `${tag}\n`);
    console.log(`sandbox/spec/twilio-oai now holds twilio-oai ${tag}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
