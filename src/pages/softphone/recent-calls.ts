/**
 * The calls of this session, newest first: who, which way, how long, how it ended. Kept in the page
 * only (a reload starts afresh); the account's call history is the server's (/calls).
 */
export type Direction = 'Outgoing' | 'Incoming';

export interface RecentCall {
  who: string;
  direction: Direction;
  /** When the call was answered, if it was. */
  answeredAt?: number;
  endedAt: number;
  outcome: string;
}

/** A session's list stays short enough to read at a glance. */
const KEEP = 20;

export function duration(call: RecentCall): string {
  if (call.answeredAt === undefined) return '—';
  const seconds = Math.max(0, Math.floor((call.endedAt - call.answeredAt) / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

export class RecentCalls {
  private readonly calls: RecentCall[] = [];

  add(call: RecentCall): void {
    this.calls.unshift(call);
    this.calls.splice(KEEP);
  }

  list(): readonly RecentCall[] {
    return this.calls;
  }
}

/** The list as table rows, one per call, under the headings Who, Direction, Duration, Outcome. */
export function renderRecentCalls(body: HTMLTableSectionElement, calls: readonly RecentCall[]): void {
  body.replaceChildren(
    ...calls.map((call) => {
      const row = document.createElement('tr');
      for (const text of [call.who, call.direction, duration(call), call.outcome]) {
        const cell = document.createElement('td');
        cell.textContent = text;
        row.append(cell);
      }
      return row;
    }),
  );
}
