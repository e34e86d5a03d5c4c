import { parseArgs } from 'node:util';
import { localEnv } from './admin-cli/service';

/**
 * Plays Twilio's part in a call by hand, through a running sandbox's control endpoints:
 *   npm run call -- --to +14155550100 [--from +1...] [--dial-status no-answer]
 *   npm run call -- --token <access token> --to <number or identity> [--param key=value ...]
 *   npm run call -- --ticket <ticket> --to <number or identity>
 * With --ticket it first signs in as the softphone does: the ticket traded at the service's /token for
 * an access token. The sandbox and the service are the ones `npm start` wrote into .env
 * (TWILIO_API_BASE_URL, PUBLIC_BASE_URL), unless --sandbox or --service say otherwise.
 * Then, to end the call: `--answer <seconds>` (the dialled party talks that long; 0: nobody answers) or
 * `--voicemail <seconds>` (after `--dial-status no-answer`: the caller leaves a message).
 */
async function main(): Promise<void> {
  const local = localEnv();
  const { values } = parseArgs({
    options: {
      sandbox: {
        type: 'string',
        default: process.env.TWILIO_API_BASE_URL ?? local.TWILIO_API_BASE_URL ?? 'http://127.0.0.1:4010',
      },
      service: {
        type: 'string',
        default: process.env.SERVICE_URL ?? local.PUBLIC_BASE_URL ?? 'http://localhost:3000',
      },
      to: { type: 'string' },
      from: { type: 'string' },
      token: { type: 'string' },
      ticket: { type: 'string' },
      param: { type: 'string', multiple: true, default: [] },
      'dial-status': { type: 'string' },
      answer: { type: 'string' },
      voicemail: { type: 'string' },
    },
  });
  if (!values.to)
    throw new Error('--to is required (a number of the sandbox, or a client identity with --token)');
  const params = Object.fromEntries(
    values.param.map((pair) => {
      const at = pair.indexOf('=');
      return at < 0 ? [pair, ''] : [pair.slice(0, at), pair.slice(at + 1)];
    }),
  );
  const post = async (url: string, headers: Record<string, string>, body: unknown, who: string) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    }).catch(() => {
      throw new Error(`no ${who} answers at ${new URL(url).origin}: is \`npm start\` running?`);
    });
    const answer = (await response.json()) as Record<string, unknown>;
    if (!response.ok) throw new Error(`${who} refused: ${JSON.stringify(answer)}`);
    return answer;
  };
  const control = (path: string, body: unknown) =>
    post(`${values.sandbox.replace(/\/$/, '')}/__sandbox/${path}`, {}, body, 'sandbox');
  const token = values.ticket
    ? String(
        (
          await post(
            `${values.service.replace(/\/$/, '')}/token`,
            { authorization: `Bearer ${values.ticket}` },
            {},
            'service',
          )
        ).token,
      )
    : values.token;
  if (values.ticket)
    console.log(`# signed in with the ticket at ${values.service}/token, as the softphone does`);
  const call = token
    ? await control('calls/client', { token, to: values.to, params })
    : await control('calls/inbound', { to: values.to, from: values.from, extraParams: params });
  console.log(
    `# ${call.method} ${call.url} -> ${call.status} (call ${call.callSid}, account ${call.accountSid})`,
  );
  console.log(call.twiml);
  if (values['dial-status']) {
    const next = await control(`calls/${call.callSid}/dial-action`, {
      DialCallStatus: values['dial-status'],
    });
    console.log(`# Dial action ${next.method} ${next.url} -> ${next.status}`);
    console.log(next.twiml);
  }
  const ending =
    values.voicemail !== undefined
      ? await control(`calls/${call.callSid}/voicemail`, { seconds: Number(values.voicemail) })
      : values.answer !== undefined
        ? await control(`calls/${call.callSid}/complete`, { answeredSeconds: Number(values.answer) })
        : undefined;
  if (ending) {
    const recordings = (ending.recordingSids as string[]).join(', ') || 'none';
    console.log(
      `# call ${ending.status}, ${ending.durationSeconds} s, ${ending.price} USD; recordings: ${recordings}`,
    );
    for (const webhook of ending.webhooks as { method: string; url: string; status: number }[])
      console.log(`# ${webhook.method} ${webhook.url} -> ${webhook.status}`);
  }
}

main().catch((error: unknown) => {
  console.error((error as Error).message);
  process.exit(1);
});
