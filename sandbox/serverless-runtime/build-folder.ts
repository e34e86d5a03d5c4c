/**
 * A Build laid out as Twilio runs it: each Function Version's content in `functions/<SID>.js`, each Asset
 * Version's in `assets/<SID><extension of its path>` (the extension gives its Content-Type), and the
 * Build's installed dependencies as its `node_modules`. Written again when a Build is served after a
 * restart; the content is the Build's, so the same files come out.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, rm, stat, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { HostRoute } from './host-process';
import type { BuildInput, DeployedFile } from './types';

export interface BuildFolder {
  dir: string;
  functions: HostRoute[];
  assets: HostRoute[];
}

/** Builds kept on disk: every deploy makes one, and only the latest few are ever served again. */
const KEPT_BUILDS = 20;

const functionFile = (dir: string, file: DeployedFile) => path.join(dir, 'functions', `${file.sid}.js`);
const assetFile = (dir: string, file: DeployedFile) =>
  path.join(dir, 'assets', `${file.sid}${path.extname(file.path)}`);

export async function writeBuildFolder(
  cacheDir: string,
  build: BuildInput,
  dependenciesDir: string,
): Promise<BuildFolder> {
  if (!/^[A-Za-z0-9]+$/.test(build.sid)) throw new Error(`Not a Build SID: ${build.sid}`);
  const dir = path.join(cacheDir, 'builds', build.sid);
  await rm(dir, { recursive: true, force: true });
  await mkdir(path.join(dir, 'functions'), { recursive: true });
  await mkdir(path.join(dir, 'assets'), { recursive: true });
  const modules = path.join(dependenciesDir, 'node_modules');
  if (existsSync(modules)) await symlink(modules, path.join(dir, 'node_modules'), 'dir');
  const write = async (files: DeployedFile[], place: typeof functionFile): Promise<HostRoute[]> =>
    Promise.all(
      files.map(async (file) => {
        if (!/^[A-Za-z0-9]+$/.test(file.sid)) throw new Error(`Not a version SID: ${file.sid}`);
        const filePath = place(dir, file);
        await writeFile(filePath, file.content);
        return { name: file.sid, path: file.path, access: file.visibility, filePath, content: '' };
      }),
    );
  const folder = {
    dir,
    functions: await write(build.functions, functionFile),
    assets: await write(build.assets, assetFile),
  };
  await pruneBuilds(path.dirname(dir));
  return folder;
}

/** Removes all but the KEPT_BUILDS most recently written build folders. */
async function pruneBuilds(buildsDir: string): Promise<void> {
  const names = await readdir(buildsDir);
  const dated = await Promise.all(
    // Another sandbox may be pruning the same folder: one already gone counts as oldest.
    names.map(async (name) => ({
      name,
      at: await stat(path.join(buildsDir, name)).then(
        ({ mtimeMs }) => mtimeMs,
        () => 0,
      ),
    })),
  );
  const old = dated.sort((a, b) => b.at - a.at).slice(KEPT_BUILDS);
  await Promise.all(old.map(({ name }) => rm(path.join(buildsDir, name), { recursive: true, force: true })));
}
