/**
 * A refused call in the terminal: the service's sentence, then everything its answer carries that the
 * operator must act on (the idempotency key to retry with, how long to wait, the revision, what a
 * create that stopped made) as a table and as the command line to run next, not only in --json.
 */
import type { AdminRefusal } from '../../src/client/admin-client';
import { details } from './table';

interface Provisioning {
  missing?: string[];
  reason?: string;
}

export function refusalText(refusal: AdminRefusal, command: string): string {
  const { provisioning, ...fields } = refusal.details as Record<string, unknown> & {
    provisioning?: Provisioning;
  };
  const retryAfterSeconds = fields.retryAfterSeconds ?? refusal.retryAfterSeconds;
  const shown: Record<string, unknown> = {
    ...fields,
    ...(provisioning
      ? { status: 'provisioning', missing: provisioning.missing?.join(', '), reason: provisioning.reason }
      : {}),
    ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
  };
  const lines = [`${refusal.status} ${refusal.code}: ${refusal.message}`];
  if (Object.keys(shown).length > 0) lines.push('', details(shown));
  const next = nextSteps(command, shown);
  if (next.length > 0) lines.push('', ...next);
  return lines.join('\n');
}

/** What to run next, in the words of this CLI. */
function nextSteps(command: string, fields: Record<string, unknown>): string[] {
  const steps: string[] = [];
  const key = fields.idempotencyKey;
  const sid = fields.subaccountSid;
  if (typeof fields.retryAfterSeconds === 'number')
    steps.push(`wait ${fields.retryAfterSeconds} s, then run the same command again`);
  if (typeof fields.retryAfter === 'string') steps.push(`run it again after ${fields.retryAfter}`);
  if (typeof key === 'string') {
    steps.push(
      command === 'create'
        ? `finish it: the same create with --idempotencyKey ${key} (number parameters may change)`
        : `retry with: the same ${command} with --idempotencyKey ${key}`,
    );
  }
  if (command === 'create' && fields.status === 'provisioning' && typeof sid === 'string')
    steps.push(`or close it: close --subaccountSid ${sid} --confirm ${sid}`);
  if (typeof fields.revision === 'string')
    steps.push(
      `read it again (get), then retry with --ifRevision ${fields.revision} if the change still holds`,
    );
  return steps;
}
