import { readdirSync } from 'node:fs';
import path from 'node:path';
import { buildService } from '../scripts/build';
import { DEPLOYED_SUITES, startDeployedInBackground } from './helpers/deployed-start';
import { ensureChromium } from '../testkit/find-chromium';

const BROWSER_SUITES = path.join(__dirname, 'browser');

/** The part of jest's global configuration that says which test files a run selected. */
interface SelectedFiles {
  rootDir: string;
  findRelatedTests: boolean;
  testPathPatterns: {
    isSet(): boolean;
    toExecutor(options: { rootDir: string }): { isMatch(absolutePath: string): boolean };
  };
}

/**
 * Before any suite runs: the browser the browser suites launch, found (or installed) once, its path
 * passed to every worker in CHROMIUM_PATH (workers inherit this process's environment); a fresh
 * build of the current source for every suite that serves dist/ or loads built functions; and, when a
 * suite of the deployed service runs, one `npm start -- --deployed` started in the background for all
 * of them (test/helpers/deployed-start.ts), deploying while the first suites run.
 */
export default async function globalSetup(globalConfig: SelectedFiles): Promise<void> {
  if (browserSuitesSelected(globalConfig)) process.env.CHROMIUM_PATH = ensureChromium();
  await buildService();
  if (suitesSelected(globalConfig, DEPLOYED_SUITES)) await startDeployedInBackground();
}

function suitesSelected(
  { rootDir, findRelatedTests, testPathPatterns }: SelectedFiles,
  files: string[],
): boolean {
  if (findRelatedTests || !testPathPatterns.isSet()) return true;
  const selected = testPathPatterns.toExecutor({ rootDir });
  return files.some((file) => selected.isMatch(path.join(rootDir, file)));
}

/** A run limited to other files (`npx jest test/config`) needs no browser, so it never installs one. */
function browserSuitesSelected({ rootDir, findRelatedTests, testPathPatterns }: SelectedFiles): boolean {
  if (findRelatedTests || !testPathPatterns.isSet()) return true;
  const selected = testPathPatterns.toExecutor({ rootDir });
  return readdirSync(BROWSER_SUITES)
    .filter((file) => file.endsWith('.test.ts'))
    .some((file) => selected.isMatch(path.join(BROWSER_SUITES, file)));
}
