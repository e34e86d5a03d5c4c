import type { Handlers } from '../../context';
import { accountHandlers } from './accounts';
import { addressHandlers } from './addresses';
import { applicationHandlers } from './applications';
import { availablePhoneNumberHandlers } from './available-phone-numbers';
import { callHandlers } from './calls';
import { incomingPhoneNumberHandlers } from './incoming-phone-numbers';
import { keyHandlers } from './keys';
import { recordingHandlers } from './recordings';
import { usageHandlers } from './usage';

export const apiV2010Handlers: Handlers = {
  ...accountHandlers,
  ...addressHandlers,
  ...applicationHandlers,
  ...availablePhoneNumberHandlers,
  ...callHandlers,
  ...incomingPhoneNumberHandlers,
  ...keyHandlers,
  ...recordingHandlers,
  ...usageHandlers,
};
