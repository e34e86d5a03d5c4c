import { build } from 'esbuild';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { SANDBOX_EDGE_META } from '../../src/pages/softphone/sandbox-edge';

export { SANDBOX_EDGE_META };

/** The script that opens the SDK's `wss://` to the sandbox edge as `ws://` (its file says why). */
const EDGE_SOCKET_SCRIPT = 'sandbox-edge-socket.js';
const EDGE_SOCKET_SOURCE = path.resolve(__dirname, '../../src/pages/softphone/sandbox-edge-socket.ts');

/**
 * Points a built softphone at the sandbox's calling edge instead of Twilio: the one switch between a
 * local page and a deployed one. Only `npm start` (when it runs the sandbox) and the browser tests call
 * it, on their own copy of the assets; `npm run build` and `npm run deploy` never do, so a deployed page
 * has neither the meta element, nor the socket script, nor the sandbox in its Content-Security-Policy.
 * `edgeHost` is host:port of the gateway (the Device's `chunderw`); the page reaches it at
 * ws://it/signal, with no certificate to accept.
 */
export function withSandboxEdge(html: string, edgeHost: string): string {
  if (!/^[a-z0-9.-]+:\d+$/i.test(edgeHost)) throw new Error(`Not a host:port: ${edgeHost}`);
  const csp = /(<meta\s+http-equiv="Content-Security-Policy"\s+content="[^"]*connect-src 'self')/;
  if (!csp.test(html)) throw new Error('The softphone page has no connect-src to extend');
  const sdk = /(\s*)(<script src="vendor\/twilio-voice\.min\.js")/;
  if (!sdk.test(html)) throw new Error('The softphone page does not load the Voice SDK');
  return html
    .replace(csp, `$1 ws://${edgeHost}`)
    .replace(sdk, `$1<script src="${EDGE_SOCKET_SCRIPT}" defer></script>$1$2`)
    .replace(
      '<meta charset="utf-8" />',
      `<meta charset="utf-8" />\n    <meta name="${SANDBOX_EDGE_META}" content="${edgeHost}" />`,
    );
}

export async function pointSoftphoneAtSandbox(assetsDir: string, edgeHost: string): Promise<void> {
  const page = path.join(assetsDir, 'softphone.html');
  await build({
    entryPoints: [EDGE_SOCKET_SOURCE],
    outfile: path.join(assetsDir, EDGE_SOCKET_SCRIPT),
    bundle: true,
    platform: 'browser',
    target: 'es2020',
    format: 'iife',
    legalComments: 'none',
    logLevel: 'warning',
  });
  await writeFile(page, withSandboxEdge(await readFile(page, 'utf8'), edgeHost));
}
