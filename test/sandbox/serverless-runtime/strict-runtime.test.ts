/**
 * The deployed shape is stricter than `twilio-run start`: each case is a small Build of its own, built
 * and served by the sandbox's runtime as Twilio would run it.
 */
import twilio from 'twilio';
import {
  buildDeployment,
  contextBytes,
  serveDeployment,
  type RunInput,
  type ServedDeployment,
} from '../../../sandbox/serverless-runtime';
import { CONTEXT_LIMIT_BYTES, EXECUTION_LIMIT_MS } from '../../../sandbox/serverless-runtime/build-errors';
import { checkRuntime } from '../../../sandbox/serverless-runtime/runtime-version';
import { sourceBuild } from '../../helpers/dist-build';

// The first Build of a machine installs the dependencies from the npm cache; later ones reuse them.
jest.setTimeout(120_000);

const owner = { accountSid: `AC${'a1'.repeat(16)}`, authToken: 'b2'.repeat(16) };
const runInput = (build: RunInput['build'], variables: Record<string, string> = {}): RunInput => ({
  build,
  ...owner,
  serviceSid: `ZS${'c3'.repeat(16)}`,
  environmentSid: `ZE${'d4'.repeat(16)}`,
  domainName: 'voice-service-1234-dev.twil.io',
  variables,
  includeCredentials: true,
});

describe('a Build that Twilio would not complete', () => {
  it('fails when a Function imports another project file by relative path', async () => {
    const outcome = await buildDeployment(
      sourceBuild({
        '/relative': "const x = require('../config/config'); exports.handler = (c, e, cb) => cb(null, x);",
      }),
    );
    expect(outcome).toEqual({
      status: 'failed',
      code: 82003,
      message: expect.stringContaining('/relative (ZN') as string,
    });
    expect(outcome.status === 'failed' && outcome.message).toMatch(
      /Cannot find module '\.\.\/config\/config'/,
    );
  });

  it('fails when a Function needs a package that is only in devDependencies', async () => {
    const outcome = await buildDeployment(
      sourceBuild({ '/dev-only': "require('esbuild'); exports.handler = (c, e, cb) => cb(null, 'ok');" }),
    );
    expect(outcome.status === 'failed' && outcome.message).toMatch(/Cannot find module 'esbuild'/);
  });

  it('fails when a dependency cannot be installed, with npm saying why', async () => {
    const build = sourceBuild({ '/ok': "exports.handler = (c, e, cb) => cb(null, 'ok');" });
    build.dependencies.push({ name: 'left-pad-not-in-this-cache', version: '1.0.0' });
    expect(await buildDeployment(build)).toEqual({
      status: 'failed',
      code: 82003,
      message: expect.stringMatching(/could not be installed: .*left-pad-not-in-this-cache/) as string,
    });
  });

  it('holds the Runtime to Twilio runtimes no older than the Node.js running here', () => {
    expect(checkRuntime('node22', '22.13.0')).toBeUndefined();
    expect(checkRuntime('node22', '20.19.0')).toBeUndefined();
    expect(checkRuntime('node18', '18.20.0')).toMatchObject({ status: 'failed', code: 82003 });
    expect(checkRuntime('node20', '22.13.0')).toMatchObject({
      status: 'failed',
      message: expect.stringContaining('Run the sandbox on Node.js 20') as string,
    });
  });
});

describe('a deployed Function', () => {
  const functions = {
    '/echo':
      'exports.handler = (context, event, callback) => callback(null, { context: Object.keys(context).sort(), domain: context.DOMAIN_NAME, path: context.PATH, event, functions: Object.keys(Runtime.getFunctions()) });',
    '/late': "exports.handler = (c, e, callback) => setTimeout(() => callback(null, 'late'), 11000);",
    '/never': 'exports.handler = () => {};',
    '/busy': 'exports.handler = () => { for (;;); };',
  };
  let served: ServedDeployment;
  let protectedServed: ServedDeployment;
  const protectedBuild = sourceBuild(
    { '/owner-only': "exports.handler = (c, e, cb) => cb(null, 'signed');" },
    'protected',
  );

  beforeAll(async () => {
    const build = sourceBuild(functions);
    expect(await buildDeployment(build)).toEqual({ status: 'completed' });
    expect(await buildDeployment(protectedBuild)).toEqual({ status: 'completed' });
    // A short limit stands in for Twilio's 10 s, so the cut-off is seen without waiting for it.
    served = await serveDeployment(runInput(build, { GREETING: 'hi' }), { executionLimitMs: 1_000 });
    protectedServed = await serveDeployment(runInput(protectedBuild));
  });
  afterAll(async () => {
    await served?.close();
    await protectedServed?.close();
  });

  it("runs from the file named by its SID, with the deployment's context and no Host, X-Forwarded-* or method", async () => {
    const answer = await fetch(`${served.url}/echo?from=query`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-forwarded-for': '203.0.113.9',
        'x-forwarded-proto': 'https',
      },
      body: 'from_body=1',
    });
    expect(answer.status).toBe(200);
    const body = (await answer.json()) as {
      context: string[];
      domain: string;
      path: string;
      event: { request: { headers: Record<string, string> } } & Record<string, unknown>;
      functions: string[];
    };
    expect(body.context).toEqual(
      expect.arrayContaining([
        'ACCOUNT_SID',
        'AUTH_TOKEN',
        'DOMAIN_NAME',
        'ENVIRONMENT_SID',
        'GREETING',
        'PATH',
        'SERVICE_SID',
      ]),
    );
    expect(body.domain).toBe('voice-service-1234-dev.twil.io');
    expect(body.path).toBe('/echo');
    expect(body.event).toMatchObject({ from: 'query', from_body: '1' });
    expect(Object.keys(body.event.request.headers)).not.toEqual(
      expect.arrayContaining([expect.stringMatching(/^(host|x-forwarded-.*)$/)]),
    );
    expect(JSON.stringify(body.event)).not.toMatch(/POST/);
    expect(body.functions).toEqual(expect.arrayContaining(['echo', 'late']));
    const ran = served.invocations().find((entry) => entry.path === '/echo');
    expect(ran?.file).toMatch(/\/functions\/ZN[0-9a-f]{32}\.js$/);
  });

  it('answers a CORS preflight at the gateway with *', async () => {
    const answer = await fetch(`${served.url}/echo`, {
      method: 'OPTIONS',
      headers: { origin: 'https://elsewhere.example' },
    });
    expect(answer.status).toBe(204);
    expect(answer.headers.get('access-control-allow-origin')).toBe('*');
    expect(served.invocations().find((entry) => entry.path === '/echo')?.count).toBe(1);
  });

  it('cuts off a handler that runs 11 s, and one that never calls back, with 82002', async () => {
    expect(EXECUTION_LIMIT_MS).toBe(10_000);
    for (const path of ['/late', '/never']) {
      const answer = await fetch(`${served.url}${path}`);
      expect(answer.status).toBe(504);
      expect(await answer.json()).toMatchObject({ code: 82002 });
    }
  });

  it('kills a handler that blocks its process, and the next invocation runs in a new one', async () => {
    const answer = await fetch(`${served.url}/busy`);
    expect(await answer.json()).toMatchObject({ code: 82002 });
    expect((await fetch(`${served.url}/echo`)).status).toBe(200);
  });

  it('answers 403 to a protected Function without a valid signature of the owner over its public URL', async () => {
    const url = `${protectedServed.url}/owner-only`;
    const publicUrl = 'https://voice-service-1234-dev.twil.io/owner-only';
    const post = (signature?: string) =>
      fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          ...(signature ? { 'x-twilio-signature': signature } : {}),
        },
        body: 'CallSid=CA1',
      });
    expect((await post()).status).toBe(403);
    expect(
      (await post(twilio.getExpectedTwilioSignature('f'.repeat(32), publicUrl, { CallSid: 'CA1' }))).status,
    ).toBe(403);
    expect(
      (await post(twilio.getExpectedTwilioSignature(owner.authToken, url, { CallSid: 'CA1' }))).status,
    ).toBe(403);
    const signed = await post(
      twilio.getExpectedTwilioSignature(owner.authToken, publicUrl, { CallSid: 'CA1' }),
    );
    expect(signed.status).toBe(200);
    expect(await signed.text()).toBe('signed');
  });

  it('refuses every invocation with 82006 when a Variable pushes the context over 3KB', async () => {
    const input = runInput(protectedBuild, { BIG: 'x'.repeat(3_000) });
    expect(contextBytes(input, '/owner-only')).toBeGreaterThan(CONTEXT_LIMIT_BYTES);
    expect(contextBytes(runInput(protectedBuild), '/owner-only')).toBeLessThan(CONTEXT_LIMIT_BYTES);
    await protectedServed.close();
    protectedServed = await serveDeployment({
      ...input,
      build: {
        ...protectedBuild,
        functions: protectedBuild.functions.map((f) => ({ ...f, visibility: 'public' as const })),
      },
    });
    const answer = await fetch(`${protectedServed.url}/owner-only`);
    expect(answer.status).toBe(500);
    expect(await answer.json()).toMatchObject({ code: 82006 });
  });
});
