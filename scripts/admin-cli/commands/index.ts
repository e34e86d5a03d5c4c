import type { Command } from '../command';
import { accountCommands } from './accounts';
import { eventCommands } from './events';
import { numberCommands } from './numbers';
import { recordingCommands } from './recordings';
import { subaccountCommands } from './subaccounts';
import { ticketCommands } from './ticket';
import { usageCommands } from './usage';

/** Every command of the admin CLI; a new command group is one file here and one entry below. */
export const commands: readonly Command[] = [
  ...subaccountCommands,
  ...accountCommands,
  ...numberCommands,
  ...usageCommands,
  ...recordingCommands,
  ...eventCommands,
  ...ticketCommands,
];
