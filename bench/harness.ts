/**
 * Benchmark machinery: timings of the thing measured and of a baseline measured in the same run, so a
 * result is a ratio that holds on any machine. Benchmarks measure; they do not pass or fail.
 */
import { performance } from 'node:perf_hooks';

export interface Timing {
  medianMs: number;
  p99Ms: number;
  samples: number;
}

export interface BenchRow {
  /** What was measured, e.g. "/voice warm, in-process". */
  name: string;
  /** The measurement itself, e.g. "median 0.041 ms, p99 0.090 ms". */
  result: string;
  /** What it is compared with, and the ratio. */
  baseline?: string;
  ratio?: number;
  /** The target from the issue, e.g. "<= 1.2x". */
  target?: string;
}

/** Times an async operation `samples` times after `warmup` runs; returns median and p99 in ms. */
export async function time(run: () => unknown, samples = 2000, warmup = 200): Promise<Timing> {
  for (let i = 0; i < warmup; i++) await run();
  const durations = new Float64Array(samples);
  for (let i = 0; i < samples; i++) {
    const started = performance.now();
    await run();
    durations[i] = performance.now() - started;
  }
  durations.sort();
  return {
    medianMs: durations[Math.floor(samples / 2)] as number,
    p99Ms: durations[Math.min(samples - 1, Math.floor(samples * 0.99))] as number,
    samples,
  };
}

export const ms = (value: number): string =>
  value < 1 ? `${(value * 1000).toFixed(1)} us` : `${value.toFixed(2)} ms`;

export function describeTiming(timing: Timing): string {
  return `median ${ms(timing.medianMs)}, p99 ${ms(timing.p99Ms)} (${timing.samples} runs)`;
}

export function printTable(rows: readonly BenchRow[]): void {
  const header = ['benchmark', 'result', 'baseline', 'ratio', 'target'];
  const cells = rows.map((row) => [
    row.name,
    row.result,
    row.baseline ?? '',
    row.ratio === undefined ? '' : `${row.ratio.toFixed(2)}x`,
    row.target ?? '',
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...cells.map((line) => (line[column] ?? '').length)),
  );
  const format = (line: string[]) =>
    `| ${line.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(' | ')} |`;
  console.log(format(header));
  console.log(`|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`);
  for (const line of cells) console.log(format(line));
}
