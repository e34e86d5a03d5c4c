import { startSandbox, type Sandbox, type SandboxOptions } from '../../../sandbox';

/** One sandbox per test file, emptied before each test; every answer must have followed twilio-oai. */
export function useSandbox(options: SandboxOptions = {}): () => Sandbox {
  let sandbox: Sandbox | undefined;
  beforeAll(async () => {
    sandbox = await startSandbox(options);
  });
  afterAll(async () => {
    await sandbox?.close();
  });
  beforeEach(() => {
    sandbox?.reset();
  });
  afterEach(() => {
    const responses = sandbox?.specViolations().filter((violation) => violation.direction === 'response');
    expect(responses).toEqual([]);
  });
  return () => {
    if (!sandbox) throw new Error('sandbox not started');
    return sandbox;
  };
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
