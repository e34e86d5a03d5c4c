/**
 * Device options for the Twilio sandbox's calling edge, when this page was built to use it: only a local
 * build against the sandbox has the meta element (scripts/local/softphone-sandbox-edge.ts). There, the
 * SDK connects to the sandbox's gateway (`chunderw`, a Device option the SDK reads in device.ts but
 * leaves out of its published types) and publishes no call-quality events (`publishEvents: false`:
 * Twilio's event gateway is out of reach). A deployed page has no such element and talks to Twilio.
 */
/** The meta element's name; scripts/local/softphone-sandbox-edge.ts writes it. */
export const SANDBOX_EDGE_META = 'twilio-sandbox-edge';

export interface SandboxEdgeOptions {
  chunderw?: string;
  publishEvents?: boolean;
}

export function sandboxEdgeOptions(): SandboxEdgeOptions {
  const edge = document.querySelector<HTMLMetaElement>(`meta[name="${SANDBOX_EDGE_META}"]`)?.content;
  return edge ? { chunderw: edge, publishEvents: false } : {};
}
