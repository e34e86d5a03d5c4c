interface CommandBase {
  name: string;
  summary: string;
  /** Parameters, for `help`: "--subaccountSid AC... [--repair true]". */
  usage: string;
  render(body: Record<string, unknown>): string;
}

/** One CLI command: the admin path it calls and how its answer reads as text. */
export interface ServiceCommand extends CommandBase {
  /** Admin path under /admin/, e.g. "subaccounts/create". */
  path: string;
}

/** A command that works on this machine instead of calling the service (e.g. minting a test ticket). */
export interface LocalCommand extends CommandBase {
  run(parameters: Record<string, unknown>): Record<string, unknown>;
}

export type Command = ServiceCommand | LocalCommand;
