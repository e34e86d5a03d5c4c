/**
 * CSV as RFC 4180 writes it (https://www.rfc-editor.org/rfc/rfc4180): CRLF after every record, a field
 * holding a comma, a double quote, CR or LF quoted, its quotes doubled.
 */
export function csvText(records: readonly (readonly string[])[]): string {
  return records.map((fields) => `${fields.map(csvField).join(',')}\r\n`).join('');
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;
/** Leading characters a spreadsheet reads as the start of a formula (or of a hidden one, after TAB/CR). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * A cell a spreadsheet shows as text, never runs: one starting like a formula gets a leading `'`, as
 * OWASP advises against CSV injection (https://owasp.org/www-community/attacks/CSV_Injection). A plain
 * decimal number ("-1.25", a credit) is left as it is, so amounts stay numbers a spreadsheet can sum:
 * nothing matching `-?digits(.digits)` can be a formula.
 */
export function spreadsheetCell(value: string): string {
  if (PLAIN_NUMBER.test(value) || !FORMULA_START.test(value)) return value;
  return `'${value}`;
}
