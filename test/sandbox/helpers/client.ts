import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient';
import type { Sandbox } from '../../../sandbox';

/**
 * Sends what the official client would send to https://<host>.twilio.com to the sandbox instead, naming the
 * host in X-Twilio-Host: the TWILIO_API_BASE_URL contract of PRODUCT.md.
 */
export class SandboxRequestClient extends twilio.RequestClient {
  constructor(private readonly baseUrl: string) {
    super();
  }

  override request<TData>(options: RequestClient.RequestOptions<TData>) {
    const original = new URL(options.uri);
    return super.request<TData>({
      ...options,
      uri: `${this.baseUrl}${original.pathname}${original.search}`,
      headers: { ...options.headers, 'X-Twilio-Host': original.host },
    });
  }
}

/** The official client, authenticated as given, talking to the sandbox. */
export function sandboxClient(sandbox: Sandbox, username: string, password: string, accountSid?: string) {
  return twilio(username, password, {
    accountSid: accountSid ?? (username.startsWith('AC') ? username : undefined),
    httpClient: new SandboxRequestClient(sandbox.baseUrl),
  });
}
