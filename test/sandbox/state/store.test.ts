import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startSandbox } from '../../../sandbox';
import { sandboxClient } from '../../helpers/sandbox';

describe('persisted state', () => {
  const statePath = () => path.join(mkdtempSync(path.join(tmpdir(), 'sandbox-')), 'state.json');

  it('survives a restart, and --fresh starts empty', async () => {
    const file = statePath();
    const first = await startSandbox({ statePath: file });
    const main = first.seed();
    const sub = await sandboxClient(first, main.accountSid, main.authToken).api.v2010.accounts.create({
      friendlyName: 'kept',
    });
    await first.close();

    const second = await startSandbox({ statePath: file });
    const fetched = await sandboxClient(second, main.accountSid, main.authToken)
      .api.v2010.accounts(sub.sid)
      .fetch();
    expect(fetched.friendlyName).toBe('kept');
    await second.close();

    const fresh = await startSandbox({ statePath: file, fresh: true });
    expect(fresh.state.accounts).toEqual([]);
    await fresh.close();
  });

  it('is never corrupted by a half-written temporary file', async () => {
    const file = statePath();
    const first = await startSandbox({ statePath: file });
    const main = first.seed();
    await first.close();
    // What a crash in the middle of a save leaves: a partial temp file beside the intact state.
    writeFileSync(`${file}.123456`, readFileSync(file, 'utf8').slice(0, 40));
    const second = await startSandbox({ statePath: file });
    expect(second.state.accounts.map((a) => a.sid)).toEqual([main.accountSid]);
    await second.close();
  });

  it('gives the main account its numbers on the first start only: a number moved away stays away', async () => {
    const file = statePath();
    const first = await startSandbox({ statePath: file });
    const main = first.seed();
    expect(main.phoneNumbers).toHaveLength(3);
    const client = sandboxClient(first, main.accountSid, main.authToken);
    const sub = await client.api.v2010.accounts.create({ friendlyName: 'customer' });
    await client.api.v2010
      .accounts(main.accountSid)
      .incomingPhoneNumbers(main.phoneNumbers[0]?.sid ?? '')
      .update({ accountSid: sub.sid });
    await first.close();

    // What every later `npm start` does: seed the same main account again on the kept state.
    const second = await startSandbox({ statePath: file });
    const again = second.seed({ accountSid: main.accountSid, authToken: main.authToken });
    expect(again.phoneNumbers.map((n) => n.sid)).toEqual(main.phoneNumbers.slice(1).map((n) => n.sid));
    await second.close();
  });
});
