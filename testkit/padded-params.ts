/**
 * Parameters that bring a request to an exact size: what the tests and the hostile load test use to
 * reach, and pass, the caps of src/webhooks/webhook-params.ts.
 */

/** Characters in names and values together, as the caps count them. */
export const charsOf = (params: Record<string, string>): number =>
  Object.entries(params).reduce((sum, [name, value]) => sum + name.length + value.length, 0);

/**
 * `params` plus filler parameters (`<prefix>0`, `<prefix>1`, ...) so that there are `count` in all with
 * `chars` characters in all (as near as the names allow when `chars` is small).
 */
export function paddedTo(
  params: Record<string, string>,
  count: number,
  chars: number,
  prefix = 'F',
): Record<string, string> {
  const padded = { ...params };
  const fillers = Math.max(0, count - Object.keys(params).length);
  let left = Math.max(0, chars - charsOf(params));
  for (let i = 0; i < fillers; i++) {
    const name = `${prefix}${i}`;
    const length = Math.max(0, Math.floor(left / (fillers - i)) - name.length);
    padded[name] = 'x'.repeat(length);
    left -= name.length + length;
  }
  return padded;
}
