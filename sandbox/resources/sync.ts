import type { Handlers, RequestContext } from '../context';
import { iso8601, nowIso } from '../rest/dates';
import { notFound, TwilioError } from '../rest/errors';
import { newSid } from '../rest/ids';
import { pageV1 } from '../rest/paging';
import type { SyncAccess } from '../rules/sync-rate';
import type { SyncMap, SyncMapItem, SyncService } from '../state/types';

const BASE = 'https://sync.twilio.com/v1';

const serviceJson = (service: SyncService) => ({
  sid: service.sid,
  unique_name: service.uniqueName,
  account_sid: service.accountSid,
  friendly_name: service.friendlyName,
  date_created: iso8601(service.dateCreated),
  date_updated: iso8601(service.dateUpdated),
  url: `${BASE}/Services/${service.sid}`,
  webhook_url: null,
  webhooks_from_rest_enabled: false,
  reachability_webhooks_enabled: false,
  acl_enabled: false,
  reachability_debouncing_enabled: false,
  reachability_debouncing_window: 5000,
  links: {
    documents: `${BASE}/Services/${service.sid}/Documents`,
    lists: `${BASE}/Services/${service.sid}/Lists`,
    maps: `${BASE}/Services/${service.sid}/Maps`,
    streams: `${BASE}/Services/${service.sid}/Streams`,
  },
});

const mapUrl = (map: SyncMap) => `${BASE}/Services/${map.serviceSid}/Maps/${map.sid}`;

const mapJson = (map: SyncMap) => ({
  sid: map.sid,
  unique_name: map.uniqueName,
  account_sid: map.accountSid,
  service_sid: map.serviceSid,
  url: mapUrl(map),
  links: { items: `${mapUrl(map)}/Items`, permissions: `${mapUrl(map)}/Permissions` },
  revision: String(map.revision),
  date_expires: null,
  date_created: iso8601(map.dateCreated),
  date_updated: iso8601(map.dateUpdated),
  created_by: 'system',
});

const itemJson = (map: SyncMap, item: SyncMapItem) => ({
  key: item.key,
  account_sid: item.accountSid,
  service_sid: item.serviceSid,
  map_sid: item.mapSid,
  url: `${mapUrl(map)}/Items/${encodeURIComponent(item.key)}`,
  revision: String(item.revision),
  data: item.data,
  date_expires: item.dateExpires ? iso8601(item.dateExpires) : null,
  date_created: iso8601(item.dateCreated),
  date_updated: iso8601(item.dateUpdated),
  created_by: 'system',
});

function createService(context: RequestContext, uniqueName: string | null): SyncService {
  const now = nowIso();
  const service: SyncService = {
    sid: newSid('IS'),
    accountSid: context.credential.accountSid,
    friendlyName: context.body.get('FriendlyName'),
    uniqueName,
    dateCreated: now,
    dateUpdated: now,
  };
  context.state.syncServices.push(service);
  return service;
}

/** Sync acts on the credential's account; `default` names that account's default Service, as on Twilio. */
function findService(context: RequestContext, sidOrAlias: string | undefined): SyncService {
  const { state, credential } = context;
  const own = state.syncServices.filter((s) => s.accountSid === credential.accountSid);
  if (sidOrAlias === 'default') {
    return own.find((s) => s.uniqueName === 'default') ?? createService(context, 'default');
  }
  const service = own.find((s) => s.sid === sidOrAlias);
  if (!service) throw notFound(context.path);
  return service;
}

function findMap(context: RequestContext): SyncMap {
  const service = findService(context, context.params.ServiceSid);
  const id = context.params.MapSid ?? context.params.Sid;
  const map = context.state.syncMaps.find(
    (m) => m.serviceSid === service.sid && (m.sid === id || m.uniqueName === id),
  );
  if (!map) throw notFound(context.path);
  return map;
}

function findItem(context: RequestContext, map: SyncMap): SyncMapItem {
  const item = context.state.syncMapItems.find((i) => i.mapSid === map.sid && i.key === context.params.Key);
  if (!item) throw notFound(context.path);
  return item;
}

/**
 * "Data ... Can be up to 16 KiB in length" (Sync MapItem reference, https://www.twilio.com/docs/sync/api/map-item-resource);
 * larger is 54006 "Request entity too large" (https://www.twilio.com/docs/api/errors/54006). Measured
 * here as the UTF-8 bytes of the serialized JSON. The pages say "16KB" and "16 KiB" in turn: 16,384
 * bytes is the reading taken, and 413 (the HTTP status for "Request entity too large") is not confirmed.
 */
export const SYNC_MAX_DATA_BYTES = 16 * 1024;

/**
 * "The unique, user-defined key for the Map Item. Can be up to 320 characters long" (CreateSyncMapItem
 * reference); error 54209 says 1-256 instead (https://www.twilio.com/docs/api/errors/54209). The sandbox
 * enforces the reference's 320, so a service wanting to be safe under both should stay within 256.
 */
export const SYNC_MAX_KEY_LENGTH = 320;

function parseData(raw: string | null): Record<string, unknown> {
  // https://www.twilio.com/docs/api/errors/54206: "The 'Data' parameter cannot be null."
  if (raw === null)
    throw new TwilioError(400, 54206, "Invalid Map Item data: the 'Data' parameter cannot be null");
  if (Buffer.byteLength(raw, 'utf8') > SYNC_MAX_DATA_BYTES) {
    throw new TwilioError(413, 54006, `Request entity too large: Data exceeds ${SYNC_MAX_DATA_BYTES} bytes`);
  }
  try {
    const data: unknown = JSON.parse(raw);
    if (data && typeof data === 'object' && !Array.isArray(data)) return data as Record<string, unknown>;
  } catch {
    // answered below, like any other malformed Data
  }
  // https://www.twilio.com/docs/api/errors/54008
  throw new TwilioError(
    400,
    54008,
    "Invalid JSON: the specified 'Data' parameter is not a valid JSON object",
  );
}

/**
 * Characters a key may hold here: RFC 3986's unreserved characters and `:` (both pass through a URL
 * path segment as they are, https://www.rfc-editor.org/rfc/rfc3986#section-3.3). Twilio documents no
 * character rule for Map Item keys (the MapItem reference says only "unique, user-defined key", error
 * 54209 only its length), yet a key travels in the item's URL path (`/Items/{Key}`), and twilio-node
 * puts it there unencoded (`lib/rest/sync/v1/service/syncMap/syncMapItem.ts` interpolates `key` as it
 * is). A `+` there may be read as a space (form decoding), `/`, `?`, `#` and `%` change the path, and
 * what Twilio does with other characters is not confirmed: so the sandbox refuses them all with 54209,
 * and a service passing here uses keys every reading agrees on.
 */
const SAFE_KEY = /^[A-Za-z0-9._~:-]+$/;

function checkKey(key: string): void {
  if (key.length === 0 || key.length > SYNC_MAX_KEY_LENGTH) {
    throw new TwilioError(
      400,
      54209,
      `Invalid Map Item key: must be 1 to ${SYNC_MAX_KEY_LENGTH} characters long`,
    );
  }
  if (!SAFE_KEY.test(key)) {
    throw new TwilioError(
      400,
      54209,
      'Invalid Map Item key: the sandbox allows only letters, digits and . _ ~ : - (characters a URL path carries unchanged)',
    );
  }
}

/** A Map read or written, as Sync's rate limit counts it (its items count on it). */
function mapAccess(context: RequestContext, kind: SyncAccess): SyncMap {
  const map = findMap(context);
  context.rules.syncAccess(map.sid, kind);
  return map;
}

/** If-Match guards an item write: a stale revision is refused and nothing changes. */
function checkRevision(context: RequestContext, item: SyncMapItem): void {
  const expected = context.headers['if-match'];
  if (expected !== undefined && expected !== '*' && expected !== String(item.revision)) {
    throw new TwilioError(412, 54103, 'The revision of the Map Item does not match the expected revision');
  }
}

/** `ItemTtl` seconds from now; the sandbox records the date but never deletes anything. */
function expiry(ttl: string | null): { dateExpires?: string } {
  const seconds = Number(ttl);
  return ttl && Number.isInteger(seconds) && seconds > 0
    ? { dateExpires: new Date(Date.now() + seconds * 1000).toISOString() }
    : {};
}

function touch(map: SyncMap): void {
  map.revision += 1;
  map.dateUpdated = nowIso();
}

export const syncHandlers: Handlers = {
  CreateService: (context) => ({ status: 201, body: serviceJson(createService(context, null)) }),
  ListService: (context) => {
    const services = context.state.syncServices.filter((s) => s.accountSid === context.credential.accountSid);
    return { status: 200, body: pageV1(services.map(serviceJson), context, 'services') };
  },
  FetchService: (context) => ({ status: 200, body: serviceJson(findService(context, context.params.Sid)) }),
  DeleteService: (context) => {
    const service = findService(context, context.params.Sid);
    const { state } = context;
    state.syncServices = state.syncServices.filter((s) => s !== service);
    state.syncMaps = state.syncMaps.filter((m) => m.serviceSid !== service.sid);
    state.syncMapItems = state.syncMapItems.filter((i) => i.serviceSid !== service.sid);
    return { status: 204 };
  },

  CreateSyncMap: (context) => {
    const service = findService(context, context.params.ServiceSid);
    const uniqueName = context.body.get('UniqueName');
    if (
      uniqueName &&
      context.state.syncMaps.some((m) => m.serviceSid === service.sid && m.uniqueName === uniqueName)
    ) {
      throw new TwilioError(409, 54301, `Unique name already exists: ${uniqueName}`);
    }
    const now = nowIso();
    const map: SyncMap = {
      sid: newSid('MP'),
      accountSid: service.accountSid,
      serviceSid: service.sid,
      uniqueName,
      revision: 0,
      dateCreated: now,
      dateUpdated: now,
    };
    context.state.syncMaps.push(map);
    return { status: 201, body: mapJson(map) };
  },
  ListSyncMap: (context) => {
    const service = findService(context, context.params.ServiceSid);
    const maps = context.state.syncMaps.filter((m) => m.serviceSid === service.sid).map(mapJson);
    return { status: 200, body: pageV1(maps, context, 'maps') };
  },
  FetchSyncMap: (context) => ({ status: 200, body: mapJson(mapAccess(context, 'read')) }),
  UpdateSyncMap: (context) => ({ status: 200, body: mapJson(mapAccess(context, 'write')) }),
  DeleteSyncMap: (context) => {
    const map = mapAccess(context, 'write');
    const { state } = context;
    state.syncMaps = state.syncMaps.filter((m) => m !== map);
    state.syncMapItems = state.syncMapItems.filter((i) => i.mapSid !== map.sid);
    return { status: 204 };
  },

  CreateSyncMapItem: (context) => {
    const map = mapAccess(context, 'write');
    const key = context.body.get('Key') ?? '';
    checkKey(key);
    const data = parseData(context.body.get('Data'));
    if (context.state.syncMapItems.some((i) => i.mapSid === map.sid && i.key === key)) {
      throw new TwilioError(409, 54208, `An Item with key ${key} already exists in this Map`);
    }
    const now = nowIso();
    const item: SyncMapItem = {
      key,
      accountSid: map.accountSid,
      serviceSid: map.serviceSid,
      mapSid: map.sid,
      revision: 0,
      data,
      dateCreated: now,
      dateUpdated: now,
      ...expiry(context.body.get('ItemTtl') ?? context.body.get('Ttl')),
    };
    context.state.syncMapItems.push(item);
    touch(map);
    return { status: 201, body: itemJson(map, item) };
  },
  ListSyncMapItem: (context) => {
    const map = mapAccess(context, 'read');
    const items = context.state.syncMapItems
      .filter((i) => i.mapSid === map.sid)
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const descending = context.query.get('Order') === 'desc';
    if (descending) items.reverse();
    // From: the first key to read, in the order asked; Bounds=exclusive starts after it.
    const from = context.query.get('From');
    const exclusive = context.query.get('Bounds') === 'exclusive';
    const start =
      from === null
        ? 0
        : items.findIndex((item) => {
            const after = descending ? item.key < from : item.key > from;
            return after || (!exclusive && item.key === from);
          });
    items.splice(0, start === -1 ? items.length : start);
    return {
      status: 200,
      body: pageV1(
        items.map((item) => itemJson(map, item)),
        context,
        'items',
      ),
    };
  },
  FetchSyncMapItem: (context) => {
    const map = mapAccess(context, 'read');
    return { status: 200, body: itemJson(map, findItem(context, map)) };
  },
  UpdateSyncMapItem: (context) => {
    const map = mapAccess(context, 'write');
    const item = findItem(context, map);
    checkRevision(context, item);
    if (context.body.has('Data')) {
      item.data = parseData(context.body.get('Data'));
      item.revision += 1;
      item.dateUpdated = nowIso();
      touch(map);
    }
    return { status: 200, body: itemJson(map, item) };
  },
  DeleteSyncMapItem: (context) => {
    const map = mapAccess(context, 'write');
    const item = findItem(context, map);
    checkRevision(context, item);
    context.state.syncMapItems = context.state.syncMapItems.filter((i) => i !== item);
    touch(map);
    return { status: 204 };
  },
};
