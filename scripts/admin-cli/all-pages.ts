/**
 * `--all`: a paged command read to its end, one request per page as the service answers them (each page
 * is one Function call, bounded by its 10 s; the CLI only chains them), with progress on stderr so a
 * long sweep shows it is moving.
 */
export interface PagedAnswer {
  nextCursor?: string;
}

export interface AllPages<Body extends PagedAnswer> {
  /** One page after `cursor` (the first when undefined). */
  page(cursor: string | undefined): Promise<Body>;
  /** The pages so far and the next one, as one answer. */
  merge(sofar: Body, next: Body): Body;
  /** What the progress line counts, e.g. subaccounts read so far. */
  count(body: Body): number;
  /** Where progress lines go (stderr). */
  progress(line: string): void;
  /** What is counted, plural: "subaccounts". */
  noun: string;
}

export async function readAllPages<Body extends PagedAnswer>(reader: AllPages<Body>): Promise<Body> {
  let merged = await reader.page(undefined);
  let pages = 1;
  reader.progress(`page ${pages}: ${reader.count(merged)} ${reader.noun} so far`);
  while (merged.nextCursor) {
    const next = await reader.page(merged.nextCursor);
    merged = reader.merge(merged, next);
    pages++;
    reader.progress(`page ${pages}: ${reader.count(merged)} ${reader.noun} so far`);
  }
  return merged;
}
