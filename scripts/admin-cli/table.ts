/** Plain-text tables for the terminal: one row per object, the columns asked for. */
export function table(rows: readonly Record<string, unknown>[], columns: readonly string[]): string {
  if (rows.length === 0) return '(none)';
  const cell = (value: unknown): string =>
    value === null || value === undefined
      ? ''
      : typeof value === 'object'
        ? JSON.stringify(value)
        : String(value);
  const cells = rows.map((row) => columns.map((column) => cell(row[column])));
  const widths = columns.map((title, index) =>
    Math.max(title.length, ...cells.map((line) => line[index]?.length ?? 0)),
  );
  const line = (values: readonly string[]) =>
    values
      .map((value, index) => value.padEnd(widths[index] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(columns), line(widths.map((width) => '-'.repeat(width))), ...cells.map(line)].join('\n');
}

/** A single object as "key: value" lines. */
export function details(object: Record<string, unknown>): string {
  return table(
    Object.entries(object).map(([field, value]) => ({ field, value })),
    ['field', 'value'],
  );
}

/** `text`, followed by how to ask for the next page when the answer has one. */
export function withNextPage(text: string, body: Record<string, unknown>): string {
  return body.nextCursor ? `${text}\n\nnext page: --cursor ${String(body.nextCursor)}` : text;
}
