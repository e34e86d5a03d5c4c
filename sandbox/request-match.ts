/** Which requests a fault, a count or a rate applies to; every given field must match. */
export interface RequestMatch {
  host?: string;
  method?: string;
  /** A substring of the path (e.g. `/Keys.json`), or a pattern. */
  path?: string | RegExp;
  operationId?: string;
}

export interface RequestFacts {
  host: string;
  method: string;
  path: string;
  operationId: string | null;
}

export function matches(match: RequestMatch | undefined, request: RequestFacts): boolean {
  if (!match) return true;
  if (match.host !== undefined && match.host !== request.host) return false;
  if (match.method !== undefined && match.method.toUpperCase() !== request.method.toUpperCase()) return false;
  if (match.operationId !== undefined && match.operationId !== request.operationId) return false;
  if (match.path instanceof RegExp) return match.path.test(request.path);
  return match.path === undefined || request.path.includes(match.path);
}
