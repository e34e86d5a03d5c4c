/**
 * Rebuilds what Twilio signed from what a Function can see.
 *
 * Twilio signs the URL it requested (with its query string, as configured) followed by the POSTed
 * parameters sorted by name. A Function sees neither the raw URL nor the raw body: only `PATH` and an
 * event in which the runtime merged the query and the body (`{ ...query, ...body }`, in Twilio's
 * runtime-handler). Object keys keep insertion order, so the query's parameters are the first keys of
 * the event, in the order they stood in the URL. How many there were is not known, so each such prefix
 * is a candidate, the empty one first (Twilio's own webhooks carry no query). Twilio POSTs `AccountSid`
 * with every call, so a query ends before it, unless the request was a GET and everything is on the URL.
 *
 * Trying several splits weakens nothing: each candidate is an HMAC over a string that only the holder
 * of the token could have signed, and every split of one event hands the handler the same parameters.
 */

export interface SignedRequest {
  /** The URL with the query string Twilio would have requested. */
  url: string;
  /** The parameters Twilio would have POSTed. */
  params: Record<string, string | string[]>;
}

/** Always POSTed by Twilio, so never part of a query string (except for a GET webhook). */
const ALWAYS_POSTED = 'AccountSid';

/**
 * The requests Twilio could have signed that give this event at `url` (public base URL + path), with
 * a query: each prefix of the parameters as the query, the rest posted. The common case (everything
 * posted, no query) is `postedParamsOf(event)` at `url` itself, tried first by the caller. The query is
 * written as URL builders write it (`+` for a space); Twilio's validator also tries the `%20` form.
 */
export function* queryCandidates(url: string, event: Record<string, unknown>): Generator<SignedRequest> {
  const entries = Object.entries(event).filter(([name]) => name !== 'request');
  const posted = entries.findIndex(([name]) => name === ALWAYS_POSTED);
  const lastSplit = posted === -1 ? entries.length : posted;
  // Generated lazily: a query of a few parameters verifies with one of the first splits.
  for (let split = 1; split <= entries.length; split++) {
    if (split > lastSplit && split < entries.length) continue;
    const query = asQueryPairs(entries.slice(0, split));
    const params = postedParamsOf(Object.fromEntries(entries.slice(split)));
    if (query && params) {
      yield { url: query.length > 0 ? `${url}?${new URLSearchParams(query).toString()}` : url, params };
    }
  }
}

/**
 * The event's parameters as POSTed form fields: text, or arrays of text when repeated; undefined when a
 * value could not have been posted by Twilio (a nested object from a query string). One pass, no arrays.
 */
export function postedParamsOf(
  event: Record<string, unknown>,
): Record<string, string | string[]> | undefined {
  // A plain object (a null-prototype one is slower to sort and read); a "__proto__" name cannot be set
  // on it, so such a request simply fails to verify, as it could not come from Twilio.
  const params: Record<string, string | string[]> = {};
  for (const name in event) {
    if (name === 'request' || !Object.hasOwn(event, name)) continue;
    const value = event[name];
    if (typeof value === 'string' || isTextArray(value)) params[name] = value;
    else return undefined;
  }
  return params;
}

/** Query pairs in URL order; a repeated name keeps its values in the order they were given. */
function asQueryPairs(entries: [string, unknown][]): [string, string][] | undefined {
  const pairs: [string, string][] = [];
  for (const [name, value] of entries) {
    if (typeof value === 'string') pairs.push([name, value]);
    else if (isTextArray(value)) for (const item of value) pairs.push([name, item]);
    else return undefined;
  }
  return pairs;
}

function isTextArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}
