import { loadConfig } from '../../src/config/config';
import { twilioClients, type TwilioClients } from '../../src/twilio/clients';
import { fromTwilioError } from '../../src/twilio/rest-errors';
import {
  sendJson,
  startRecordingServer,
  type RecordingServer,
  type Reply,
} from '../helpers/recording-server';
import { serviceEnv } from '../../testkit/service-env';

const SUB = `AC${'5'.repeat(32)}`;

function accountJson(sid: string) {
  return { sid, friendly_name: 'x', status: 'active', auth_token: 'f'.repeat(32), date_created: null };
}

/** Runs `test` with the service's clients aimed at a recording server that answers with `reply`. */
async function againstServer(
  reply: Reply,
  test: (server: RecordingServer, clients: TwilioClients) => Promise<void>,
): Promise<void> {
  const server = await startRecordingServer(reply);
  try {
    await test(
      server,
      twilioClients(
        loadConfig(serviceEnv({ TWILIO_API_BASE_URL: server.url, TWILIO_REQUEST_TIMEOUT_MS: '' })),
      ),
    );
  } finally {
    await server.close();
  }
}

/** What a request that should fail threw. */
const failureOf = (request: Promise<unknown>) =>
  request.then(
    () => {
      throw new Error('expected the request to fail');
    },
    (error: unknown) => error,
  );

const dropConnection: Reply = (_request, response) => response.socket?.destroy();

describe('twilioClients with TWILIO_API_BASE_URL', () => {
  it('sends every request to the base URL with the same path and the Twilio host in X-Twilio-Host', async () => {
    const server = await startRecordingServer((request, response) => {
      if (request.url.includes('/Maps')) sendJson(response, 200, { maps: [], meta: { key: 'maps' } });
      else sendJson(response, 200, accountJson(SUB));
    });
    try {
      const env = serviceEnv({ TWILIO_API_BASE_URL: `${server.url}/twilio/` });
      const clients = twilioClients(loadConfig(env));
      await clients.actingOn(SUB).api.v2010.accounts(SUB).fetch();
      await clients.main().sync.v1.services('default').syncMaps.list({ pageSize: 5 });
      await clients.asSubaccount(SUB, 'e'.repeat(32)).api.v2010.accounts(SUB).fetch();

      const [fetchSub, listMaps, asSub] = server.requests;
      expect(fetchSub?.url).toBe(`/twilio/2010-04-01/Accounts/${SUB}.json`);
      expect(fetchSub?.headers['x-twilio-host']).toBe('api.twilio.com');
      // Main credentials act on the subaccount: the username is the main account.
      expect(basicUser(fetchSub?.headers.authorization)).toBe(env.ACCOUNT_SID);
      expect(listMaps?.url).toBe('/twilio/v1/Services/default/Maps?PageSize=5');
      expect(listMaps?.headers['x-twilio-host']).toBe('sync.twilio.com');
      expect(basicUser(asSub?.headers.authorization)).toBe(SUB);
    } finally {
      await server.close();
    }
  });

  it('retries 429 answers with backoff and then succeeds', async () => {
    let calls = 0;
    const reply: Reply = (_request, response) => {
      calls += 1;
      if (calls <= 2) sendJson(response, 429, { code: 20429, message: 'Too Many Requests', status: 429 });
      else sendJson(response, 200, accountJson(SUB));
    };
    await againstServer(reply, async (server, clients) => {
      const account = await clients.actingOn(SUB).api.v2010.accounts(SUB).fetch();
      expect(account.sid).toBe(SUB);
      expect(server.requests).toHaveLength(3);
    });
  });

  it('sends a read again on a new connection when its kept-alive connection was closed under it', async () => {
    // The server drops the connection that already served a request, as one does with an idle socket
    // it closed just as the client reused it: the client sees ECONNRESET and Twilio never saw the read.
    const served = new Set<unknown>();
    const reply: Reply = (_request, response) => {
      if (served.has(response.socket)) response.socket?.destroy();
      else {
        served.add(response.socket);
        sendJson(response, 200, accountJson(SUB));
      }
    };
    await againstServer(reply, async (server, clients) => {
      const account = clients.actingOn(SUB).api.v2010.accounts(SUB);
      expect((await account.fetch()).sid).toBe(SUB);
      expect((await account.fetch()).sid).toBe(SUB);
      expect(server.requests).toHaveLength(3);
    });
  });

  it('does not send a write again when its connection is lost, and says to retry the call', async () => {
    await againstServer(dropConnection, async (server, clients) => {
      const error = await failureOf(
        clients.actingOn(SUB).api.v2010.accounts(SUB).update({ friendlyName: 'Renamed' }),
      );
      expect(server.requests).toHaveLength(1);
      const serviceError = fromTwilioError(error, 'Renaming the subaccount');
      expect(serviceError.status).toBe(502);
      expect(serviceError.code).toBe('twilio_unreachable');
      expect(serviceError.message).toBe(
        'Renaming the subaccount failed: the connection to Twilio was lost before it answered; retry the call.',
      );
    });
  });

  it('sends a failing read only twice in all', async () => {
    await againstServer(dropConnection, async (server, clients) => {
      const error = await failureOf(clients.actingOn(SUB).api.v2010.accounts(SUB).fetch());
      expect(server.requests).toHaveLength(2);
      expect(fromTwilioError(error, 'Fetching').code).toBe('twilio_unreachable');
    });
  });

  it('gives up on a request that hangs, inside the Functions time limit, with a retryable error', async () => {
    const neverAnswer = () => undefined;
    await againstServer(neverAnswer, async (server, clients) => {
      // The server never answers: only the client's own REQUEST_TIMEOUT_MS (againstServer leaves the
      // tests' longer one for the sandbox unset) can end the request, once, not retried (its length is
      // not timed: a busy machine would break a bound on time).
      const error = await failureOf(clients.actingOn(SUB).api.v2010.accounts(SUB).fetch());
      expect(fromTwilioError(error, 'Fetching').code).toBe('twilio_timeout');
      expect(server.requests).toHaveLength(1);
    });
  });

  it('turns Twilio error answers into errors a caller can act on', async () => {
    const notFound: Reply = (_request, response) =>
      sendJson(response, 404, { code: 20404, message: 'The requested resource was not found', status: 404 });
    await againstServer(notFound, async (_server, clients) => {
      const error = await failureOf(clients.actingOn(SUB).api.v2010.accounts(SUB).fetch());
      const serviceError = fromTwilioError(error, 'Fetching the subaccount');
      expect(serviceError.status).toBe(404);
      expect(serviceError.details).toMatchObject({ twilioCode: 20404 });
    });
  });
});

function basicUser(header: string | undefined): string {
  return Buffer.from((header ?? '').replace(/^Basic /, ''), 'base64')
    .toString()
    .split(':')[0] as string;
}
