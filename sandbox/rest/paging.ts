import { invalidParameter } from './errors';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 1000;

const PAGING_PARAMS = new Set(['Page', 'PageSize', 'PageToken']);

interface PageRequest {
  path: string;
  query: URLSearchParams;
}

function pageNumbers(query: URLSearchParams): { page: number; pageSize: number } {
  const pageSize = Number(query.get('PageSize') ?? DEFAULT_PAGE_SIZE);
  const page = Number(query.get('Page') ?? 0);
  // With spec validation off these still must not crash or loop the client.
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
    throw invalidParameter(`PageSize must be between 1 and ${MAX_PAGE_SIZE}`);
  }
  if (!Number.isInteger(page) || page < 0) throw invalidParameter('Page must be a non-negative integer');
  return { page, pageSize };
}

function pageUri(request: PageRequest, page: number, pageSize: number): string {
  const params = new URLSearchParams();
  for (const [name, value] of request.query) if (!PAGING_PARAMS.has(name)) params.append(name, value);
  params.set('PageSize', String(pageSize));
  params.set('Page', String(page));
  return `${request.path}?${params.toString()}`;
}

/** A v2010 list page: the items under `key` with page, start, end and relative *_page_uri links. */
export function pageV2010<T>(items: T[], request: PageRequest, key: string): Record<string, unknown> {
  const { page, pageSize } = pageNumbers(request.query);
  const start = page * pageSize;
  const slice = items.slice(start, start + pageSize);
  return {
    [key]: slice,
    page,
    page_size: pageSize,
    start,
    end: slice.length ? start + slice.length - 1 : start,
    uri: pageUri(request, page, pageSize),
    first_page_uri: pageUri(request, 0, pageSize),
    previous_page_uri: page > 0 ? pageUri(request, page - 1, pageSize) : null,
    next_page_uri: start + pageSize < items.length ? pageUri(request, page + 1, pageSize) : null,
  };
}

/** A v1 list page: the items under `key` and a `meta` with absolute URLs on the API's own host. */
export function pageV1<T>(items: T[], request: PageRequest & { host: string }, key: string) {
  const { page, pageSize } = pageNumbers(request.query);
  const start = page * pageSize;
  const url = (n: number) => `https://${request.host}${pageUri(request, n, pageSize)}`;
  return {
    [key]: items.slice(start, start + pageSize),
    meta: {
      page,
      page_size: pageSize,
      first_page_url: url(0),
      previous_page_url: page > 0 ? url(page - 1) : null,
      next_page_url: start + pageSize < items.length ? url(page + 1) : null,
      url: url(page),
      key,
    },
  };
}
