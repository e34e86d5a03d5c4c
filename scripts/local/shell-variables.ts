/**
 * Service variables `npm start` takes from the shell as well as from .env: the events webhook, which a
 * developer points at a receiver of the moment (`EVENTS_WEBHOOK_URL=https://... npm start`).
 *
 * twilio-run gives the functions only its `--env` file (its `--load-local-env` would add the whole
 * shell, whose PATH then replaces the runtime's `context.PATH`, the Function's own path). So `npm start`
 * hands twilio-run a copy of .env with these variables added from the shell (`serviceEnvText`). A value
 * in .env and another in the shell is refused with a sentence rather than one silently winning.
 */
export const SHELL_VARIABLES = ['EVENTS_WEBHOOK_URL', 'EVENTS_WEBHOOK_SECRET'] as const;

export interface ShellVariables {
  /** Each variable's value as the service will see it, and where it came from. */
  values: Partial<Record<(typeof SHELL_VARIABLES)[number], { value: string; from: 'the shell' | '.env' }>>;
  /** Why `npm start` cannot go on, in a sentence; undefined when it can. */
  refusal?: string;
}

export function shellVariables(shell: NodeJS.ProcessEnv, file: Record<string, string>): ShellVariables {
  const values: ShellVariables['values'] = {};
  for (const name of SHELL_VARIABLES) {
    const inFile = file[name] || undefined;
    const inShell = shell[name] || undefined;
    if (inFile && inShell && inFile !== inShell)
      return {
        values,
        refusal: `${name} is set both in the shell and in .env, to different values: unset one of them.`,
      };
    if (inFile) values[name] = { value: inFile, from: '.env' };
    else if (inShell) values[name] = { value: inShell, from: 'the shell' };
  }
  if (values.EVENTS_WEBHOOK_URL && !values.EVENTS_WEBHOOK_SECRET)
    return {
      values,
      refusal:
        'EVENTS_WEBHOOK_URL is set but EVENTS_WEBHOOK_SECRET is not: set both (the secret is 32 characters or more; events are signed with it).',
    };
  return { values };
}

/** The text of the environment file twilio-run gets: .env's, with the values taken from the shell added. */
export function serviceEnvText(envText: string, { values }: ShellVariables): string {
  const added = Object.entries(values)
    .filter(([, found]) => found.from === 'the shell')
    .map(([name, found]) => `${name}=${JSON.stringify(found.value)}`);
  if (added.length === 0) return envText;
  return `${envText.replace(/\n?$/, '\n')}# From the shell of \`npm start\`:\n${added.join('\n')}\n`;
}

/** The banner's line about events: where they go (never the secret), or how to turn them on. */
export function eventsLine({ values }: ShellVariables): string {
  const url = values.EVENTS_WEBHOOK_URL;
  if (!url)
    return 'Events:          off (export EVENTS_WEBHOOK_URL and EVENTS_WEBHOOK_SECRET to turn them on)';
  // Origin and path only: a query string may carry the receiver's own token.
  const shown = URL.canParse(url.value)
    ? `${new URL(url.value).origin}${new URL(url.value).pathname}`
    : 'a value that is not a URL (every function will say so)';
  return `Events:          posted to ${shown} (EVENTS_WEBHOOK_URL from ${url.from})`;
}
