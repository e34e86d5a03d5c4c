import { buildService } from '../scripts/build';

/** Every suite that serves dist/ or loads built functions needs a fresh build of the current source. */
export default async function globalSetup(): Promise<void> {
  await buildService();
}
