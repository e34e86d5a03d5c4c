/** v2010 answers dates in RFC 2822 form, the v1 APIs in ISO 8601 without milliseconds. */
export function rfc2822(iso: string): string {
  return new Date(iso).toUTCString().replace('GMT', '+0000');
}

export function iso8601(iso: string): string {
  return new Date(iso).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function nowIso(): string {
  return new Date().toISOString();
}
