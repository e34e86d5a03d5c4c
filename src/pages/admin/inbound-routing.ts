/**
 * Inbound routing as an operator writes it, one number per line: `+15551234567: alice_01, bob`,
 * to and from the `inboundRouting` object of the admin API (number → identities).
 */
export function routingToText(routing: Record<string, string[]>): string {
  return Object.entries(routing)
    .map(([number, identities]) => `${number}: ${identities.join(', ')}`)
    .join('\n');
}

export function textToRouting(text: string): Record<string, string[]> {
  const routing: Record<string, string[]> = {};
  for (const line of text.split('\n')) {
    const [number, identities = ''] = line.split(':');
    if (!number?.trim()) continue;
    routing[number.trim()] = identities
      .split(',')
      .map((identity) => identity.trim())
      .filter(Boolean);
  }
  return routing;
}

export function listToText(list: readonly string[]): string {
  return list.join(', ');
}

export function textToList(text: string): string[] {
  return text
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}
