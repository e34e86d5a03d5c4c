/** The local .env across starts: written once, its local URLs following PORT and SANDBOX_PORT after. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'dotenv';
import { chosenPorts, readOrCreateLocalEnv } from '../../scripts/local/local-env';

const envFile = () => path.join(mkdtempSync(path.join(tmpdir(), 'local-env-')), '.env');

describe('the local .env', () => {
  it('is written once with both local forms of the service origin', () => {
    const file = envFile();
    const first = readOrCreateLocalEnv(file, { service: 3000, sandbox: 4010 });
    expect(first.created).toBe(true);
    expect(first.values.ALLOWED_ORIGINS).toBe('http://localhost:3000,http://127.0.0.1:3000');
    // The local sandbox may answer slowly on a busy machine: the service waits for it as the tests do.
    expect(first.values.TWILIO_REQUEST_TIMEOUT_MS).toBe('10000');
    const again = readOrCreateLocalEnv(file, { service: 3000, sandbox: 4010 });
    expect(again).toMatchObject({ created: false, moved: {} });
    expect(again.values.AUTH_TOKEN).toBe(first.values.AUTH_TOKEN);
  });

  it('follows new ports, keeping the credentials, other origins and lines it does not manage', () => {
    const file = envFile();
    readOrCreateLocalEnv(file, { service: 3000, sandbox: 4010 });
    const before = parse(readFileSync(file));
    writeFileSync(
      file,
      readFileSync(file, 'utf8')
        .replace(/^ALLOWED_ORIGINS=.*$/m, 'ALLOWED_ORIGINS=http://localhost:3000,https://app.example.com')
        .concat('# mine\nDEBUG=voice-service:*\n'),
    );
    const moved = readOrCreateLocalEnv(file, { service: 3100, sandbox: 4110 });
    expect(moved.moved).toEqual({
      service: { from: 'http://localhost:3000', to: 'http://localhost:3100' },
      sandbox: { from: 'http://127.0.0.1:4010', to: 'http://127.0.0.1:4110' },
    });
    const after = parse(readFileSync(file));
    expect(after).toMatchObject({
      AUTH_TOKEN: before.AUTH_TOKEN,
      PUBLIC_BASE_URL: 'http://localhost:3100',
      ALLOWED_ORIGINS: 'http://localhost:3100,http://127.0.0.1:3100,https://app.example.com',
      TWILIO_API_BASE_URL: 'http://127.0.0.1:4110',
      DEBUG: 'voice-service:*',
    });
    expect(readFileSync(file, 'utf8')).toContain('# mine');
    // Without PORT and SANDBOX_PORT, the next start keeps the ports of this one.
    expect(chosenPorts({}, file)).toEqual({ service: 3100, sandbox: 4110 });
    expect(chosenPorts({ PORT: '3200' }, file)).toEqual({ service: 3200, sandbox: 4110 });
  });

  it('adds the local sandbox timeout to a .env written without it, and leaves one set as it is', () => {
    const file = envFile();
    readOrCreateLocalEnv(file, { service: 3000, sandbox: 4010 });
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^TWILIO_REQUEST_TIMEOUT_MS=.*\n/m, ''));
    expect(parse(readFileSync(file)).TWILIO_REQUEST_TIMEOUT_MS).toBeUndefined();
    expect(
      readOrCreateLocalEnv(file, { service: 3000, sandbox: 4010 }).values.TWILIO_REQUEST_TIMEOUT_MS,
    ).toBe('10000');
    expect(parse(readFileSync(file)).TWILIO_REQUEST_TIMEOUT_MS).toBe('10000');
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace(/^TWILIO_REQUEST_TIMEOUT_MS=.*$/m, 'TWILIO_REQUEST_TIMEOUT_MS=4000'),
    );
    expect(
      readOrCreateLocalEnv(file, { service: 3000, sandbox: 4010 }).values.TWILIO_REQUEST_TIMEOUT_MS,
    ).toBe('4000');
  });

  it('leaves a public URL (a tunnel to real Twilio) as it is', () => {
    const file = envFile();
    writeFileSync(
      file,
      'PUBLIC_BASE_URL=https://voice.example.com\nALLOWED_ORIGINS=https://app.example.com\n',
    );
    const started = readOrCreateLocalEnv(file, { service: 3100, sandbox: 4110 });
    expect(started.moved).toEqual({});
    expect(readFileSync(file, 'utf8')).toBe(
      'PUBLIC_BASE_URL=https://voice.example.com\nALLOWED_ORIGINS=https://app.example.com\n',
    );
  });
});
