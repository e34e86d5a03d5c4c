/** One CLI command: the admin path it calls and how its answer reads as text. */
export interface Command {
  name: string;
  /** Admin path under /admin/, e.g. "subaccounts/create". */
  path: string;
  summary: string;
  /** Parameters, for `help`: "--subaccountSid AC... [--repair true]". */
  usage: string;
  render(body: Record<string, unknown>): string;
}
