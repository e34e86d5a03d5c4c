/**
 * Rebuilds what Twilio signed from what a Function can see.
 *
 * Twilio signs the URL it requested (with its query string, as configured) followed by the POSTed
 * parameters sorted by name. A Function sees neither the raw URL nor the raw body: only `PATH` and an
 * event in which the runtime merged the query and the body (`{ ...query, ...body }`). Object keys keep
 * insertion order, so the query's parameters are the first keys of the event, in the order they stood
 * in the URL (or the last ones, if a runtime merged the other way round). We do not know how many there
 * were, so every such split is a candidate: the one with no query first, as Twilio's own webhooks have
 * none. Trying several splits weakens nothing: each candidate is an HMAC over a string that only the
 * token holder could have signed, and every split of one event gives the handler the same parameters.
 */

/** A parameter value as the runtime hands it over: text, repeated text, or (from a query) nested. */
type EventValue = unknown;

export interface SignedRequest {
  /** The URL with the query string Twilio would have requested. */
  url: string;
  /** The parameters Twilio would have POSTed. */
  params: Record<string, string | string[]>;
}

/** Query strings are written by hand (`%20`) or by URL builders (`+`): both forms are tried. */
const QUERY_ENCODERS: ((entries: [string, string][]) => string)[] = [
  (entries) => new URLSearchParams(entries).toString(),
  (entries) =>
    entries.map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`).join('&'),
];

/**
 * The requests Twilio could have signed that give this event at `url` (public base URL + path): first
 * all parameters posted and no query, then each prefix and each suffix of the parameters as the query.
 */
export function signedRequestCandidates(url: string, event: Record<string, EventValue>): SignedRequest[] {
  const entries = Object.entries(event).filter(([name]) => name !== 'request');
  const candidates: SignedRequest[] = [];
  const seen = new Set<string>();
  const add = (query: [string, EventValue][], posted: [string, EventValue][]) => {
    const params = asSignedParams(posted);
    const queryPairs = asQueryPairs(query);
    if (!params || !queryPairs) return;
    for (const encode of QUERY_ENCODERS) {
      const candidateUrl = queryPairs.length === 0 ? url : `${url}?${encode(queryPairs)}`;
      const key = `${candidateUrl}\u0000${Object.keys(params).join('\u0000')}`;
      if (seen.has(key)) continue;
      seen.add(key);
      candidates.push({ url: candidateUrl, params });
    }
  };
  add([], entries);
  for (let split = 1; split <= entries.length; split++) {
    add(entries.slice(0, split), entries.slice(split));
    add(entries.slice(entries.length - split), entries.slice(0, entries.length - split));
  }
  return candidates;
}

/** POSTed form fields are text, or arrays of text when repeated; anything else was not posted by Twilio. */
function asSignedParams(entries: [string, EventValue][]): Record<string, string | string[]> | undefined {
  const params: Record<string, string | string[]> = Object.create(null);
  for (const [name, value] of entries) {
    if (typeof value === 'string' || isTextArray(value)) params[name] = value;
    else return undefined;
  }
  return params;
}

/** Query pairs in URL order; a repeated name keeps its values in the order they were given. */
function asQueryPairs(entries: [string, EventValue][]): [string, string][] | undefined {
  const pairs: [string, string][] = [];
  for (const [name, value] of entries) {
    if (typeof value === 'string') pairs.push([name, value]);
    else if (isTextArray(value)) for (const item of value) pairs.push([name, item]);
    else return undefined;
  }
  return pairs;
}

function isTextArray(value: EventValue): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}
