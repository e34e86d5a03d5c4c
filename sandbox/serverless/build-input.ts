import type { BuildInput, DeployedFile } from '../serverless-runtime/types';
import type { ServerlessBuild } from '../state/serverless-types';
import type { SandboxState } from '../state/types';
import type { ContentStore } from './content-store';

/** A Build with the bytes of each of its versions, as the runtime builds and serves it. */
export function buildInputOf(
  state: SandboxState,
  contents: ContentStore,
  build: ServerlessBuild,
): BuildInput {
  const files = (sids: string[]): DeployedFile[] =>
    sids.map((sid) => {
      const version = state.serverless.versions.find((candidate) => candidate.sid === sid);
      const content = version && contents.get(version.contentHash);
      if (!version || !content) throw new Error(`The content of version ${sid} is gone`);
      return { sid, path: version.path, visibility: version.visibility, content };
    });
  return {
    sid: build.sid,
    dependencies: build.dependencies.map((dependency) => ({ ...dependency })),
    runtime: build.runtime,
    functions: files(build.functionVersionSids),
    assets: files(build.assetVersionSids),
  };
}
