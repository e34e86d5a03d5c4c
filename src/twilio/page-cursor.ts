import { ServiceError } from '../errors/service-error';

/**
 * Cursors of lists that page with Twilio's own paging: the `PageToken` and `Page` of the answer's next
 * page URL, base64url-encoded, so a caller passes back one opaque value.
 */
export function encodeCursor(nextPageUrl: string | undefined): string | undefined {
  if (!nextPageUrl) return undefined;
  const params = new URL(nextPageUrl).searchParams;
  const pageToken = params.get('PageToken');
  const pageNumber = params.get('Page');
  return Buffer.from(JSON.stringify({ pageToken, pageNumber }), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string | undefined): { pageToken?: string; pageNumber?: number } {
  if (!cursor) return {};
  try {
    const { pageToken, pageNumber } = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as {
      pageToken?: unknown;
      pageNumber?: unknown;
    };
    return {
      ...(typeof pageToken === 'string' ? { pageToken } : {}),
      ...(typeof pageNumber === 'string' && /^\d+$/.test(pageNumber)
        ? { pageNumber: Number(pageNumber) }
        : {}),
    };
  } catch {
    throw new ServiceError(400, 'invalid_parameter', 'cursor: is not a cursor this service returned', {
      parameter: 'cursor',
    });
  }
}
