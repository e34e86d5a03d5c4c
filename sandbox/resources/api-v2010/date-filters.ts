import { invalidParameter } from '../../rest/errors';

/**
 * Twilio's date filters on v2010 lists: `Name=`, `Name<=` and `Name>=` in a URL are the parameters
 * `Name`, `Name<` and `Name>` (the `=` is the separator), "on", "on or before" and "on or after"
 * (https://www.twilio.com/docs/voice/api/recording#read-multiple-recording-resources,
 * https://www.twilio.com/docs/voice/api/call-resource#read-multiple-call-resources). A value is a date
 * (YYYY-MM-DD: the whole day counts) or, as twilio-node sends it, a date and time. Twilio's docs say
 * "midnight of this date" for a bare date without saying which side; the sandbox counts the whole day.
 */
export function dateFilter(query: URLSearchParams, name: string): (iso: string | null) => boolean {
  const on = bounds(query.get(name), name);
  const before = bounds(query.get(`${name}<`), `${name}<`);
  const after = bounds(query.get(`${name}>`), `${name}>`);
  return (iso) => {
    if (!on && !before && !after) return true;
    if (iso === null) return false;
    const time = Date.parse(iso);
    return (
      (!on || (time >= on.from && time <= on.to)) &&
      (!before || time <= before.to) &&
      (!after || time >= after.from)
    );
  };
}

const DAY_MS = 86_400_000;

function bounds(value: string | null, name: string): { from: number; to: number } | null {
  if (value === null) return null;
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw invalidParameter(`${name} must be a date (YYYY-MM-DD) or a date and time`);
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? { from: time, to: time + DAY_MS - 1 } : { from: time, to: time };
}
