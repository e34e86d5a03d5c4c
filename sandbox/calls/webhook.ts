import twilio from 'twilio';
import { parseTwiml, type TwimlNode } from './twiml';

export interface WebhookRequest {
  url: string;
  method: string;
  params: Record<string, string>;
  /** The auth token of the account that owns the number or application. */
  authToken: string;
}

export interface WebhookResult {
  url: string;
  method: string;
  params: Record<string, string>;
  status: number;
  /** The raw answer body, TwiML when the webhook worked. */
  twiml: string;
  /** The parsed `<Response>`, or null when the answer is not TwiML. */
  response: TwimlNode | null;
  parseError: string | null;
}

/** Posts a voice webhook the way Twilio does: form-encoded, signed in X-Twilio-Signature. */
export async function sendWebhook(request: WebhookRequest): Promise<WebhookResult> {
  const method = request.method.toUpperCase();
  const url = new URL(request.url);
  // A GET webhook carries the params in the query string; Twilio then signs the URL alone.
  if (method === 'GET')
    for (const [name, value] of Object.entries(request.params)) url.searchParams.append(name, value);
  const signedParams = method === 'GET' ? {} : request.params;
  const signature = twilio.getExpectedTwilioSignature(request.authToken, url.toString(), signedParams);
  const answer = await fetch(url, {
    method,
    headers: {
      'X-Twilio-Signature': signature,
      'User-Agent': 'TwilioProxy/1.1',
      Accept: '*/*',
      ...(method === 'GET' ? {} : { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' }),
    },
    body: method === 'GET' ? undefined : new URLSearchParams(request.params).toString(),
  });
  const body = await answer.text();
  let response: TwimlNode | null = null;
  let parseError: string | null = null;
  try {
    response = parseTwiml(body);
  } catch (error) {
    parseError = (error as Error).message;
  }
  return {
    url: url.toString(),
    method,
    params: request.params,
    status: answer.status,
    twiml: body,
    response,
    parseError,
  };
}
