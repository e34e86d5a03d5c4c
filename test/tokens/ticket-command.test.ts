import { randomBytes } from 'node:crypto';
import { ticketCommands } from '../../scripts/admin-cli/commands/ticket';
import { verifyTicket } from '../../src/tokens/ticket';

const command = ticketCommands[0];
const secret = randomBytes(32).toString('hex');
const accountSid = `AC${randomBytes(16).toString('hex')}`;

describe('admin CLI `ticket`', () => {
  const saved = { ...process.env };
  beforeEach(() => {
    process.env.TOKEN_TICKET_SECRET = secret;
    process.env.SERVICE_URL = 'http://localhost:4321';
  });
  afterEach(() => {
    process.env = { ...saved };
  });

  it('mints a ticket /token accepts, and the softphone link carrying it in the fragment', () => {
    if (!command || !('run' in command)) throw new Error('ticket is a local command');
    const body = command.run({ identity: 'alice_01', subaccountSid: accountSid, ttl: '120' });
    const ticket = String(body.ticket);
    expect(verifyTicket(secret, ticket, Math.floor(Date.now() / 1000))).toEqual({
      identity: 'alice_01',
      accountSid,
    });
    expect(body.softphone).toBe(`http://localhost:4321/softphone.html#ticket=${ticket}`);
    expect(command.render(body)).toContain(ticket);
  });

  it('says what is missing or wrong', () => {
    if (!command || !('run' in command)) throw new Error('ticket is a local command');
    expect(() => command.run({ identity: 'alice' })).toThrow('--identity and --subaccountSid');
    expect(() => command.run({ identity: 'alice', subaccountSid: accountSid, ttl: '90000' })).toThrow(
      '--ttl',
    );
  });
});
