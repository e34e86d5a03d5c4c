/**
 * The local softphone's way to the sandbox's calling edge without a certificate. Loaded before the Voice
 * SDK, and only by a page built for the sandbox (scripts/local/softphone-sandbox-edge.ts adds it with the
 * meta element; a deployed page has neither and talks to Twilio).
 *
 * The SDK always opens `wss://<chunderw>/signal` (its lib/twilio/regions.ts createSignalingEndpointURL)
 * through the WebSocket class it finds on `globalThis` when it loads (lib/twilio/wstransport.ts). A
 * `wss://` server on this machine needs a certificate the browser trusts, which a fresh clone cannot
 * have; a page of http://localhost may open plain `ws://` to this machine instead. So, here only, a
 * socket to exactly the sandbox edge's `wss://` URL is opened as `ws://` to the same host and port.
 * Everything the SDK says and hears on it is unchanged.
 */
import { SANDBOX_EDGE_META } from './sandbox-edge';

const edge = document.querySelector<HTMLMetaElement>(`meta[name="${SANDBOX_EDGE_META}"]`)?.content;
if (edge) {
  const secure = `wss://${edge}/`;
  const Native = globalThis.WebSocket;
  globalThis.WebSocket = class SandboxEdgeSocket extends Native {
    constructor(url: string | URL, protocols?: string | string[]) {
      const text = String(url);
      super(text.startsWith(secure) ? `ws://${text.slice('wss://'.length)}` : text, protocols);
    }
  };
}
