import { execFile } from 'node:child_process';
import { request } from 'node:http';
import { promisify } from 'node:util';
import { TwilioProxy } from '../../../sandbox/proxy/twilio-proxy';
import { useSandbox } from '../../helpers/sandbox';

const run = promisify(execFile);

/** The Serverless API client twilio-run deploys with, in a process that trusts only what Node trusts. */
const CLIENT_SCRIPT = `
const { TwilioServerlessApiClient } = require('@twilio-labs/serverless-api');
const client = new TwilioServerlessApiClient({ username: process.argv[1], password: process.argv[2] });
client.request('post', 'Services', { form: { UniqueName: 'through-proxy', FriendlyName: 'through-proxy' } })
  .then((answer) => console.log(JSON.stringify(answer.body)))
  .catch((error) => { console.error(error.message); process.exitCode = 1; });
`;

describe('the sandbox proxy for Twilio hosts', () => {
  const sandbox = useSandbox();
  let proxy: TwilioProxy;
  beforeAll(async () => {
    proxy = await TwilioProxy.start({ target: sandbox().baseUrl });
  });
  afterAll(async () => {
    await proxy.close();
  });

  it("carries @twilio-labs/serverless-api's own https://serverless.twilio.com requests to the sandbox", async () => {
    const main = sandbox().seed();
    const { stdout } = await run(process.execPath, ['-e', CLIENT_SCRIPT, main.accountSid, main.authToken], {
      env: { ...process.env, ...proxy.env() },
      timeout: 60_000,
    });
    expect(JSON.parse(stdout)).toMatchObject({ unique_name: 'through-proxy', account_sid: main.accountSid });
    expect(sandbox().requests({ host: 'serverless.twilio.com' })).toEqual([
      expect.objectContaining({ method: 'POST', path: '/v1/Services', status: 201 }),
    ]);
  });

  it('refuses a tunnel anywhere else, so nothing leaves the machine', async () => {
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const connect = request(proxy.url, { method: 'CONNECT', path: 'registry.npmjs.org:443' });
      connect.on('connect', (answer, socket) => {
        socket.destroy();
        resolve(answer.statusCode);
      });
      connect.on('error', reject);
      connect.end();
    });
    expect(status).toBe(403);
    expect(proxy.refused).toContain('CONNECT registry.npmjs.org:443');
  });
});
