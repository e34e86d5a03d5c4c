import type { AdminAnswers, AdminPath, AdminTextPath, ValidAdminParameters } from './index';
import { adminRoutes } from './index';
import {
  adminFunction,
  type FunctionHandler,
  type JsonAnswer,
  type JsonRequest,
} from '../../http/json-function';
import type { Headers } from '../../http/json-response';
import { refuseUnknownParameters } from '../../http/parameter-names';
import { validParameters } from '../../http/parameter-validation';
import { readParameters } from '../../http/request-input';

export interface AdminRequest<P extends AdminPath> extends JsonRequest {
  parameters: ValidAdminParameters<P>;
}

/** A success answered as text, for a route that describes one (`text` in its route table entry). */
export interface TextAnswer {
  status: 200;
  text: string;
  /** Content-Type (the route's media type) and any other headers, e.g. Content-Disposition. */
  headers: Headers;
}

type TextAnswerOf<P extends AdminPath> = P extends AdminTextPath ? TextAnswer : never;

/** The logic of each route, answering only what the route describes (status and body). */
type RouteHandlers = {
  [P in AdminPath]: (request: AdminRequest<P>) => Promise<AdminAnswers[P] | TextAnswerOf<P>>;
};

/**
 * An admin function built on its entry in the route table: the admin key is checked, a parameter the
 * route's schema does not name is refused (400 `unknown_parameter`, so a typo is never dropped in
 * silence), the parameters are validated with that schema, and the compiler holds the answer to the
 * route's answer schemas, the ones docs/openapi.json is generated from.
 */
export function adminRoute<P extends AdminPath>(path: P, handle: RouteHandlers[P]): FunctionHandler {
  const { parameters } = adminRoutes[path];
  const run = handle as (request: AdminRequest<P>) => Promise<AdminAnswers[P] | TextAnswer>;
  return adminFunction(path.slice(1), async (request): Promise<JsonAnswer> => {
    const given = readParameters(request.event);
    refuseUnknownParameters(given, parameters);
    const answer = await run({
      ...request,
      parameters: validParameters(parameters, given) as ValidAdminParameters<P>,
    });
    return 'text' in answer ? { status: answer.status, body: answer.text, headers: answer.headers } : answer;
  });
}
