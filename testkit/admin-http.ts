import { expectDescribedAnswer } from './admin-contract';

export interface HttpAnswer {
  status: number;
  headers: Headers;
  // Answers are checked field by field in the tests; their shape is held to docs/openapi.json here.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: Record<string, any>;
}

/**
 * POSTs JSON to an admin function of a served service (twilio-run on dist), as the admin CLI and the
 * console do, and holds the answer to docs/openapi.json: one that departs from it fails the test.
 */
export async function postAdmin(
  serviceUrl: string,
  adminPath: `/admin/${string}`,
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<HttpAnswer> {
  const response = await fetch(`${serviceUrl}${adminPath}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const answer = { status: response.status, headers: response.headers, body: await response.json() };
  expectDescribedAnswer(adminPath, answer.status, answer.body);
  return answer;
}
