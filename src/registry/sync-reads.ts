import type { Twilio } from 'twilio';

/** A Sync Map item as Sync answers it, what the registry uses of it. */
export interface SyncItemPayload {
  key: string;
  data: unknown;
  revision: string;
}

/**
 * Reads of Sync Map items through the `twilio` client's own `request` (its credentials, headers,
 * HTTP client and retries), not through the library's Sync module: that module is dozens of files
 * (the Sync domain, its services, documents, lists, streams and their children), and the hot paths'
 * first read on a new instance would load them all before answering. The requests are the ones the
 * Sync module sends (twilio-node lib/rest/sync/v1/service/syncMap/syncMapItem.js: `fetch`, `page`):
 * the same URL, query and `Accept` header; an error answer throws the same RestException
 * (lib/base/Version.js `fetch`, lib/base/Page.js `processResponse`).
 * https://www.twilio.com/docs/sync/api/map-item-resource
 */
const SYNC_V1 = 'https://sync.twilio.com/v1';

const itemsUri = (serviceSid: string, map: string) => `${SYNC_V1}/Services/${serviceSid}/Maps/${map}/Items`;

/** One item; throws RestException (404 when there is none). */
export async function fetchMapItem(
  client: Twilio,
  serviceSid: string,
  map: string,
  key: string,
): Promise<SyncItemPayload> {
  return answer(
    await client.request({
      method: 'get',
      uri: `${itemsUri(serviceSid, map)}/${key}`,
      headers: { Accept: 'application/json' },
    }),
    (status) => status >= 200 && status < 400,
  ) as Promise<SyncItemPayload>;
}

/** One page of items in key order (Sync's `From` / `Bounds` paging); `more` when a next page exists. */
export async function fetchMapItemsPage(
  client: Twilio,
  serviceSid: string,
  map: string,
  query: { pageSize: number; order: 'asc'; from?: string; bounds?: 'exclusive' },
): Promise<{ items: SyncItemPayload[]; more: boolean }> {
  const params: Record<string, string | number> = { Order: query.order, PageSize: query.pageSize };
  if (query.from !== undefined) params.From = query.from;
  if (query.bounds !== undefined) params.Bounds = query.bounds;
  const page = (await answer(
    await client.request({
      method: 'get',
      uri: itemsUri(serviceSid, map),
      params,
      headers: { Accept: 'application/json' },
    }),
    (status) => status === 200,
  )) as { items?: SyncItemPayload[]; meta?: { next_page_url?: string | null } };
  return { items: page.items ?? [], more: Boolean(page.meta?.next_page_url) };
}

async function answer(
  response: { statusCode: number; body: unknown },
  ok: (status: number) => boolean,
): Promise<unknown> {
  if (!ok(response.statusCode)) {
    /* eslint-disable @typescript-eslint/no-require-imports */
    const {
      default: RestException,
    }: typeof import('twilio/lib/base/RestException') = require('twilio/lib/base/RestException');
    /* eslint-enable @typescript-eslint/no-require-imports */
    throw new RestException(response as never);
  }
  return typeof response.body === 'string' ? JSON.parse(response.body) : response.body;
}
