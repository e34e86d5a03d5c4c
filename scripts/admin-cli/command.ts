import type { AdminAnswerBody, AdminPath } from '../../src/admin/routes';

interface CommandBase {
  name: string;
  summary: string;
  /** Parameters, for `help`: "--subaccountSid AC... [--repair true]". */
  usage: string;
}

/**
 * One CLI command: the admin route it calls and how that route's answer reads as text. `render` takes
 * the route's answer type, so a change to the answer breaks the command at compile time.
 */
export interface ServiceCommand<P extends AdminPath = AdminPath> extends CommandBase {
  path: P;
  render(body: AdminAnswerBody<P>): string;
  /** For a paged answer: how pages add up, so `--all` reads every page (with progress on stderr). */
  pages?: {
    /** What is counted, plural: "subaccounts". */
    noun: string;
    merge(sofar: AdminAnswerBody<P>, next: AdminAnswerBody<P>): AdminAnswerBody<P>;
    count(body: AdminAnswerBody<P>): number;
  };
}

/** A command that works on this machine instead of calling the service (e.g. minting a test ticket). */
export interface LocalCommand extends CommandBase {
  /** The parameter names it takes; any other is refused before it runs. */
  parameters: readonly string[];
  run(parameters: Record<string, unknown>): Record<string, unknown>;
  render(body: Record<string, unknown>): string;
}

export type Command = ServiceCommand | LocalCommand;

/**
 * A service command, checked against its route. In the list of all commands it is held loosely: main
 * hands each `render` only the answer of that command's own path.
 */
export const serviceCommand = <P extends AdminPath>(command: ServiceCommand<P>): ServiceCommand =>
  command as unknown as ServiceCommand;
