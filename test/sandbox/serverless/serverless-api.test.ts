import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startSandbox, type Sandbox } from '../../../sandbox';
import type { BuildInput, BuildOutcome } from '../../../sandbox/serverless-runtime/types';
import { defined, refusal, sandboxClient, useSandbox } from '../../helpers/sandbox';

/** A builder the test ends by hand, so a Build is seen `building` first, as Twilio's is. */
function manualBuilder() {
  const pending: { input: BuildInput; end: (outcome: BuildOutcome) => void }[] = [];
  const builder = (input: BuildInput) =>
    new Promise<BuildOutcome>((end) => {
      pending.push({ input, end });
    });
  return { builder, pending };
}

/** An upload as @twilio-labs/serverless-api sends it: multipart, to serverless-upload.twilio.com. */
async function upload(
  sandbox: Sandbox,
  auth: { sid: string; token: string },
  path: string,
  fields: { Path: string; Visibility: string; content: string },
) {
  const form = new FormData();
  form.append('Path', fields.Path);
  form.append('Visibility', fields.Visibility);
  form.append('Content', new Blob([fields.content], { type: 'application/javascript' }), 'voice.js');
  const response = await fetch(`${sandbox.baseUrl}${path}`, {
    method: 'POST',
    body: form,
    headers: {
      'x-twilio-host': 'serverless-upload.twilio.com',
      authorization: `Basic ${Buffer.from(`${auth.sid}:${auth.token}`).toString('base64')}`,
    },
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('the Serverless API', () => {
  const builds = manualBuilder();
  const sandbox = useSandbox({ serverlessBuilder: builds.builder });

  function setup() {
    const main = sandbox().seed();
    const auth = { sid: main.accountSid, token: main.authToken };
    return { auth, client: sandboxClient(sandbox(), main.accountSid, main.authToken).serverless.v1 };
  }

  it('names a Service domain after its unique name, finds it by that name, and refuses it twice', async () => {
    const { client } = setup();
    const service = await client.services.create({
      uniqueName: 'voice-app',
      friendlyName: 'voice-app',
      includeCredentials: true,
    });
    expect(service.domainBase).toMatch(/^voice-app-[0-9]{4}$/);
    expect(service.includeCredentials).toBe(true);
    expect((await client.services('voice-app').fetch()).sid).toBe(service.sid);
    expect(await refusal(client.services.create({ uniqueName: 'voice-app', friendlyName: 'again' }))).toEqual(
      {
        status: 409,
        code: 20409,
      },
    );
    const stage = await client
      .services(service.sid)
      .environments.create({ uniqueName: 'stage-environment', domainSuffix: 'stage' });
    expect(stage.domainName).toBe(`${service.domainBase}-stage.twil.io`);
    const production = await client.services(service.sid).environments.create({ uniqueName: 'production' });
    expect(production.domainName).toBe(`${service.domainBase}.twil.io`);
    expect(
      await refusal(
        client.services(service.sid).environments.create({ uniqueName: 'other', domainSuffix: 'stage' }),
      ),
    ).toEqual({ status: 409, code: 20409 });
    expect(await refusal(client.services('ZS00000000000000000000000000000000').fetch())).toEqual({
      status: 404,
      code: 20404,
    });
  });

  it("keeps another account's Services out of reach, and pages the list like Twilio", async () => {
    const { client } = setup();
    for (const name of ['a', 'b', 'c'])
      await client.services.create({ uniqueName: name, friendlyName: name });
    const other = sandbox().createAccount({ friendlyName: 'Someone else' });
    const outsider = sandboxClient(sandbox(), other.sid, other.authToken).serverless.v1;
    expect(await outsider.services.list()).toEqual([]);
    expect(await refusal(outsider.services('a').fetch())).toEqual({ status: 404, code: 20404 });
    const page = await client.services.page({ pageSize: 2 });
    expect(page.instances.map((service) => service.uniqueName)).toEqual(['a', 'b']);
    expect((await page.nextPage())?.instances.map((service) => service.uniqueName)).toEqual(['c']);
  });

  it('stores an uploaded Function Version and builds it with the Dependencies twilio-run sends', async () => {
    const { auth, client } = setup();
    const service = await client.services.create({ uniqueName: 'app', friendlyName: 'app' });
    const fn = await client.services(service.sid).functions.create({ friendlyName: '/voice' });
    const versionPath = `/v1/Services/${service.sid}/Functions/${fn.sid}/Versions`;
    const uploaded = await upload(sandbox(), auth, versionPath, {
      Path: '/voice',
      Visibility: 'protected',
      content: 'exports.handler = () => {};',
    });
    expect(uploaded.status).toBe(201);
    expect(uploaded.body).toMatchObject({ path: '/voice', visibility: 'protected', function_sid: fn.sid });
    const versionSid = String(uploaded.body.sid);
    const content = await client
      .services(service.sid)
      .functions(fn.sid)
      .functionVersions(versionSid)
      .functionVersionContent()
      .fetch();
    expect(content.content).toBe('exports.handler = () => {};');

    const dependencies = [{ name: 'twilio', version: '6.2.0' }];
    const build = await client.services(service.sid).builds.create({
      functionVersions: [versionSid],
      // As @twilio-labs/serverless-api's triggerBuild writes it: the JSON list in one more pair of quotes.
      dependencies: `"${JSON.stringify(dependencies)}"`,
      runtime: 'node22',
    });
    expect(build.status).toBe('building');
    expect(builds.pending).toHaveLength(1);
    const started = defined(builds.pending[0]);
    expect(started.input).toMatchObject({ sid: build.sid, dependencies, runtime: 'node22' });
    expect(
      started.input.functions.map(({ sid, path, visibility, content: bytes }) => [
        sid,
        path,
        visibility,
        bytes.toString(),
      ]),
    ).toEqual([[versionSid, '/voice', 'protected', 'exports.handler = () => {};']]);
    const environment = await client
      .services(service.sid)
      .environments.create({ uniqueName: 'dev-environment', domainSuffix: 'dev' });
    const deploy = client.services(service.sid).environments(environment.sid).deployments;
    expect(await refusal(deploy.create({ buildSid: build.sid }))).toEqual({ status: 400, code: 20001 });

    started.end({ status: 'completed' });
    builds.pending.length = 0;
    await sandbox().buildsSettled();
    expect((await client.services(service.sid).builds(build.sid).buildStatus().fetch()).status).toBe(
      'completed',
    );
    const deployment = await deploy.create({ buildSid: build.sid });
    expect((await client.services(service.sid).environments(environment.sid).fetch()).buildSid).toBe(
      build.sid,
    );
    expect(sandbox().serverlessRecord()).toMatchObject({
      builds: [
        {
          sid: build.sid,
          status: 'completed',
          dependencies,
          runtime: 'node22',
          functionVersionSids: [versionSid],
        },
      ],
      functionVersions: [{ sid: versionSid, path: '/voice', visibility: 'protected' }],
      deployments: [{ sid: deployment.sid, buildSid: build.sid, environmentSid: environment.sid }],
    });
  });

  it("records a failed Build's code and reason, and refuses Dependencies that are not a list", async () => {
    const { client } = setup();
    const service = await client.services.create({ uniqueName: 'app', friendlyName: 'app' });
    expect(
      await refusal(client.services(service.sid).builds.create({ dependencies: '{"twilio":"6"}' })),
    ).toEqual({
      status: 400,
      code: 20001,
    });
    const build = await client.services(service.sid).builds.create({ dependencies: '[]' });
    builds.pending
      .splice(0)
      .forEach(({ end }) => end({ status: 'failed', code: 20001, message: 'npm install failed' }));
    await sandbox().buildsSettled();
    expect((await client.services(service.sid).builds(build.sid).fetch()).status).toBe('failed');
    expect(sandbox().serverlessRecord().builds).toEqual([
      expect.objectContaining({
        sid: build.sid,
        status: 'failed',
        error: { code: 20001, message: 'npm install failed' },
      }),
    ]);
  });

  it('keeps Variables unique per Environment and within 450 bytes', async () => {
    const { client } = setup();
    const service = await client.services.create({ uniqueName: 'app', friendlyName: 'app' });
    const environment = await client.services(service.sid).environments.create({ uniqueName: 'production' });
    const variables = client.services(service.sid).environments(environment.sid).variables;
    const created = await variables.create({ key: 'SYNC_SERVICE_SID', value: 'IS1' });
    expect(await refusal(variables.create({ key: 'SYNC_SERVICE_SID', value: 'IS2' }))).toEqual({
      status: 409,
      code: 20409,
    });
    expect(await refusal(variables.create({ key: 'BIG', value: 'x'.repeat(451) }))).toEqual({
      status: 400,
      code: 20001,
    });
    await variables(created.sid).update({ value: 'IS3' });
    expect((await variables.list()).map(({ key, value }) => [key, value])).toEqual([
      ['SYNC_SERVICE_SID', 'IS3'],
    ]);
  });
});

describe('uploaded content in a persisted sandbox', () => {
  it('is kept beside the state file, so a restarted sandbox still has every version', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'sandbox-')), 'state.json');
    const first = await startSandbox({ statePath: file });
    const main = first.seed();
    const client = sandboxClient(first, main.accountSid, main.authToken).serverless.v1;
    const service = await client.services.create({ uniqueName: 'kept', friendlyName: 'kept' });
    const fn = await client.services(service.sid).functions.create({ friendlyName: '/kept' });
    const auth = { sid: main.accountSid, token: main.authToken };
    const uploaded = await upload(first, auth, `/v1/Services/${service.sid}/Functions/${fn.sid}/Versions`, {
      Path: '/kept',
      Visibility: 'public',
      content: 'exports.handler = (c, e, cb) => cb(null, "kept");',
    });
    expect(first.specViolations()).toEqual([]);
    await first.close();

    const second = await startSandbox({ statePath: file });
    const content = await sandboxClient(second, main.accountSid, main.authToken)
      .serverless.v1.services(service.sid)
      .functions(fn.sid)
      .functionVersions(String(uploaded.body.sid))
      .functionVersionContent()
      .fetch();
    expect(content.content).toBe('exports.handler = (c, e, cb) => cb(null, "kept");');
    await second.close();
  });
});
