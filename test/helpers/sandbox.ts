import twilio from 'twilio';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../sandbox';
import { createRequestClient } from '../../src/twilio/request-client';
import { SANDBOX_REQUEST_TIMEOUT_MS } from '../../testkit/service-env';

export interface UseSandboxOptions extends SandboxOptions {
  /** Only for tests that send requests outside twilio-oai on purpose, and assert the violation. */
  allowRequestViolations?: boolean;
  /**
   * false: the state stays from one test to the next, for a file whose tests only read a fixture built
   * once in its own beforeAll (building it before each test would repeat hundreds of requests).
   */
  emptyBeforeEach?: boolean;
}

/**
 * One sandbox per test file, emptied before each test (unless `emptyBeforeEach` is false). After each test, every request sent to it and
 * every answer it gave must have followed twilio-oai, Twilio's OpenAPI description
 * (https://github.com/twilio/twilio-oai).
 */
export function useSandbox(options: UseSandboxOptions = {}): () => Sandbox {
  const { allowRequestViolations = false, emptyBeforeEach = true, ...sandboxOptions } = options;
  let sandbox: Sandbox | undefined;
  beforeAll(async () => {
    sandbox = await startSandbox(sandboxOptions);
  });
  afterAll(async () => {
    await sandbox?.close();
  });
  beforeEach(() => {
    if (emptyBeforeEach) sandbox?.reset();
  });
  afterEach(() => {
    const violations = (sandbox?.specViolations() ?? []).filter(
      (violation) => !allowRequestViolations || violation.direction === 'response',
    );
    expect(violations).toEqual([]);
  });
  return () => {
    if (!sandbox) throw new Error('sandbox not started');
    return sandbox;
  };
}

/** The official client, authenticated as given, talking to the sandbox through the service's own routing. */
export function sandboxClient(sandbox: Sandbox, username: string, password: string, accountSid?: string) {
  return twilio(username, password, {
    accountSid: accountSid ?? (username.startsWith('AC') ? username : undefined),
    httpClient: createRequestClient(sandbox.baseUrl, SANDBOX_REQUEST_TIMEOUT_MS),
  });
}

/** The Twilio error a client call was refused with. */
export async function refusal(promise: Promise<unknown>): Promise<{ status: number; code: number }> {
  try {
    await promise;
  } catch (error) {
    const { status, code } = error as { status: number; code: number };
    return { status, code };
  }
  throw new Error('expected the request to be refused');
}

/** The value, failing the test where it is missing. */
export function defined<T>(value: T | null | undefined): T {
  if (value === null || value === undefined) throw new Error('expected a value');
  return value;
}
