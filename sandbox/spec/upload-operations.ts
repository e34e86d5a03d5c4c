/**
 * The two upload operations of the Serverless API, which twilio-oai does not describe: a Function or
 * Asset Version is created by a multipart POST to `serverless-upload.twilio.com/v1/Services/{ServiceSid}/
 * (Functions|Assets)/{Sid}/Versions` with `Path`, `Visibility` and the file as `Content`
 * (https://www.twilio.com/docs/serverless/api/resource/function-version#create-a-function-version-resource;
 * the client side is @twilio-labs/serverless-api's api/functions.js createFunctionVersion and
 * api/assets.js createAssetVersion). They are added to the parsed description, answering the schema of
 * the Fetch operation beside them, so the request pipeline validates them like every other operation.
 */
import { sidSource } from '../../src/vocabulary';

interface Definition {
  paths: Record<string, Record<string, unknown>>;
}

const UPLOADS = [
  {
    path: '/v1/Services/{ServiceSid}/Functions/{FunctionSid}/Versions',
    operationId: 'CreateFunctionVersion',
    parent: 'FunctionSid',
    parentPattern: `^${sidSource('ZH')}$`,
    schema: 'serverless.v1.service.function.function_version',
    visibility: 'function_version_enum_visibility',
  },
  {
    path: '/v1/Services/{ServiceSid}/Assets/{AssetSid}/Versions',
    operationId: 'CreateAssetVersion',
    parent: 'AssetSid',
    parentPattern: `^${sidSource('ZH')}$`,
    schema: 'serverless.v1.service.asset.asset_version',
    visibility: 'asset_version_enum_visibility',
  },
];

export function addUploadOperations(definition: Definition): void {
  for (const upload of UPLOADS) {
    const item = definition.paths[upload.path];
    if (!item) throw new Error(`twilio-oai has no path ${upload.path}`);
    item.post = {
      operationId: upload.operationId,
      parameters: [
        { name: 'ServiceSid', in: 'path', required: true, schema: { type: 'string' } },
        {
          name: upload.parent,
          in: 'path',
          required: true,
          schema: { type: 'string', pattern: upload.parentPattern },
        },
      ],
      requestBody: {
        content: {
          'multipart/form-data': {
            schema: {
              type: 'object',
              properties: {
                Path: { type: 'string', minLength: 1 },
                Visibility: { $ref: `#/components/schemas/${upload.visibility}` },
                Content: { type: 'string', format: 'binary' },
              },
              required: ['Path', 'Visibility', 'Content'],
            },
          },
        },
      },
      responses: {
        '201': {
          content: { 'application/json': { schema: { $ref: `#/components/schemas/${upload.schema}` } } },
        },
      },
    };
  }
}
