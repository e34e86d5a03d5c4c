import type { Handlers } from '../../context';
import { buildHandlers } from './builds';
import { deploymentHandlers } from './deployments';
import { environmentHandlers } from './environments';
import { fileHandlers, uploadHandlers } from './files';
import { serviceHandlers } from './services';
import { variableHandlers } from './variables';

/** serverless.twilio.com/v1 (https://www.twilio.com/docs/serverless/api). */
export const serverlessHandlers: Handlers = {
  ...serviceHandlers,
  ...environmentHandlers,
  ...fileHandlers,
  ...variableHandlers,
  ...buildHandlers,
  ...deploymentHandlers,
};

/** serverless-upload.twilio.com/v1: only the uploads of Function and Asset Versions live there. */
export { uploadHandlers as serverlessUploadHandlers };
