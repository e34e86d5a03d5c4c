/**
 * The parameter names of each admin route, read from docs/openapi.json: the route table's own
 * description (`npm run openapi` writes it from the table, and a test fails when the committed file
 * differs). Reading the JSON spares every CLI call the start-up cost of building the whole route table's
 * zod schemas just to learn which flags a command takes.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { AdminPath } from '../../src/admin/routes';

const OPENAPI_FILE = path.resolve(__dirname, '../../docs/openapi.json');

interface Description {
  paths: Record<
    string,
    { post?: { requestBody?: { content: Record<string, { schema: { $ref: string } }> } } }
  >;
  components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
}

let description: Description | undefined;

/** The names `path` takes, as its parameter schema in the description lists them (none without a body). */
export function routeParameters(routePath: AdminPath): readonly string[] {
  description ??= JSON.parse(readFileSync(OPENAPI_FILE, 'utf8')) as Description;
  const body = description.paths[routePath]?.post?.requestBody;
  if (!body) return [];
  const id = (body.content['application/json']?.schema.$ref ?? '').replace('#/components/schemas/', '');
  return Object.keys(description.components.schemas[id]?.properties ?? {});
}
