/**
 * The one switch between a softphone that calls through the sandbox and one that calls through Twilio:
 * only a local copy of the assets, rewritten by `npm start` or the browser tests, names the sandbox's
 * edge. The build that `npm run deploy` ships (dist/, made by the test run's global setup with
 * buildService, as deploy makes it) has no trace of it.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { SANDBOX_EDGE_META, withSandboxEdge } from '../../scripts/local/softphone-sandbox-edge';

const root = path.resolve(__dirname, '../..');
const deployed = readFileSync(path.join(root, 'dist/assets/softphone.html'), 'utf8');

const connectSources = (html: string) =>
  /connect-src ([^;]*);/.exec(html)?.[1]?.split(' ').filter(Boolean) ?? [];

describe('the softphone pointed at the sandbox edge', () => {
  it('names the edge and lets the page open its socket, nothing else', () => {
    const local = withSandboxEdge(deployed, '127.0.0.1:4443');
    expect(local).toContain(`<meta name="${SANDBOX_EDGE_META}" content="127.0.0.1:4443" />`);
    expect(connectSources(local)).toEqual([
      "'self'",
      'ws://127.0.0.1:4443',
      'wss://*.twilio.com',
      'https://*.twilio.com',
    ]);
    expect(local.replace(/\s+/g, ' ')).toMatch(/^<!doctype html>/);
    // The socket script runs before the SDK, which takes the WebSocket class when it loads.
    const scripts = [...local.matchAll(/<script src="([^"]+)"/g)].map((match) => match[1]);
    expect(scripts).toEqual(['sandbox-edge-socket.js', 'vendor/twilio-voice.min.js', 'softphone.js']);
  });

  it('refuses anything but host:port, so no markup can be injected', () => {
    expect(() => withSandboxEdge(deployed, '127.0.0.1:4443" onload="x')).toThrow('Not a host:port');
    expect(() => withSandboxEdge('<html></html>', '127.0.0.1:4443')).toThrow('no connect-src');
  });

  it('is absent from the build that is deployed: the page talks to Twilio only', () => {
    expect(deployed).not.toContain(SANDBOX_EDGE_META);
    expect(deployed).not.toContain('sandbox-edge-socket');
    expect(existsSync(path.join(root, 'dist/assets/sandbox-edge-socket.js'))).toBe(false);
    expect(connectSources(deployed)).toEqual(["'self'", 'wss://*.twilio.com', 'https://*.twilio.com']);
    // The page script reads the meta element and nothing else to change where the SDK connects.
    const script = readFileSync(path.join(root, 'dist/assets/softphone.js'), 'utf8');
    expect(script).toContain(SANDBOX_EDGE_META);
    expect(script).not.toMatch(/127\.0\.0\.1|localhost/);
  });
});
