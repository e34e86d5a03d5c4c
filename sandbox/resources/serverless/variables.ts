/**
 * Variables of an Environment (https://www.twilio.com/docs/serverless/api/resource/variable): Key "a
 * maximum of 128 characters", Value "a maximum of 450 bytes in size" (CreateVariableRequest in
 * twilio-oai). `twilio-run deploy` lists them, creates the new keys and updates the changed ones
 * (@twilio-labs/serverless-api api/variables.js setEnvironmentVariables). Not confirmed: the error codes
 * of a refused or duplicate key; 20001 and 409/20409 stand in.
 */
import type { Handlers, RequestContext } from '../../context';
import { nowIso } from '../../rest/dates';
import { notFound, TwilioError } from '../../rest/errors';
import { newSid } from '../../rest/ids';
import { pageV1 } from '../../rest/paging';
import type { ServerlessVariable } from '../../state/serverless-types';
import { variableJson } from './json';
import { findEnvironment, serverless } from './scope';

const MAX_KEY = 128;
const MAX_VALUE_BYTES = 450;

function checkVariable(
  context: RequestContext,
  environmentSid: string,
  key: string,
  value: string,
  sid?: string,
) {
  if (key.length < 1 || key.length > MAX_KEY) {
    throw new TwilioError(400, 20001, `Key must be 1 to ${MAX_KEY} characters`);
  }
  if (Buffer.byteLength(value) > MAX_VALUE_BYTES) {
    throw new TwilioError(400, 20001, `Value of ${key} is over ${MAX_VALUE_BYTES} bytes`);
  }
  const taken = serverless(context).variables.some(
    (variable) => variable.environmentSid === environmentSid && variable.key === key && variable.sid !== sid,
  );
  if (taken) throw new TwilioError(409, 20409, `Variable with Key ${key} already exists`);
}

function findVariable(context: RequestContext): ServerlessVariable {
  const environment = findEnvironment(context, context.params.EnvironmentSid);
  const variable = serverless(context).variables.find(
    (candidate) => candidate.environmentSid === environment.sid && candidate.sid === context.params.Sid,
  );
  if (!variable) throw notFound(context.path);
  return variable;
}

function createVariable(context: RequestContext) {
  const environment = findEnvironment(context, context.params.EnvironmentSid);
  const key = context.body.get('Key') ?? '';
  const value = context.body.get('Value') ?? '';
  checkVariable(context, environment.sid, key, value);
  const now = nowIso();
  const variable = {
    sid: newSid('ZV'),
    accountSid: environment.accountSid,
    serviceSid: environment.serviceSid,
    environmentSid: environment.sid,
    key,
    value,
    dateCreated: now,
    dateUpdated: now,
  };
  serverless(context).variables.push(variable);
  return { status: 201, body: variableJson(variable) };
}

function updateVariable(context: RequestContext) {
  const variable = findVariable(context);
  const key = context.body.get('Key') ?? variable.key;
  const value = context.body.get('Value') ?? variable.value;
  checkVariable(context, variable.environmentSid, key, value, variable.sid);
  Object.assign(variable, { key, value, dateUpdated: nowIso() });
  return { status: 200, body: variableJson(variable) };
}

export const variableHandlers: Handlers = {
  ListVariable: (context) => {
    const environment = findEnvironment(context, context.params.EnvironmentSid);
    const variables = serverless(context).variables.filter(
      (variable) => variable.environmentSid === environment.sid,
    );
    return { status: 200, body: pageV1(variables.map(variableJson), context, 'variables') };
  },
  CreateVariable: createVariable,
  FetchVariable: (context) => ({ status: 200, body: variableJson(findVariable(context)) }),
  UpdateVariable: updateVariable,
  DeleteVariable: (context) => {
    const variable = findVariable(context);
    const state = serverless(context);
    state.variables = state.variables.filter((candidate) => candidate.sid !== variable.sid);
    return { status: 204 };
  },
};
