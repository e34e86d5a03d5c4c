/**
 * Benchmark machinery: timings of the thing measured and of a baseline measured in the same run, so a
 * result is a ratio that holds on any machine. Benchmarks measure; they do not pass or fail.
 */
import { performance } from 'node:perf_hooks';
import { markdownTable } from '../testkit/markdown-table';

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

/** Times `run` alone: for a subject whose baseline would skew it (e.g. one that leaves much garbage). */
export async function time(run: () => unknown, samples: number, warmup: number): Promise<Timing> {
  const [timing] = await timeTogether([run], samples, warmup);
  return timing;
}

/**
 * Times several operations alternately, one call of each per step, so all of them meet the same
 * machine load (on 2 shared cores a busy moment would otherwise land on one side only).
 */
export async function timeTogether<Runs extends readonly (() => unknown)[]>(
  runs: readonly [...Runs],
  samples: number,
  warmup: number,
): Promise<{ [Index in keyof Runs]: Timing }> {
  for (let i = 0; i < warmup; i++) for (const run of runs) await run();
  const durations = runs.map(() => new Float64Array(samples));
  for (let i = 0; i < samples; i++) {
    for (const [index, run] of runs.entries()) {
      const started = performance.now();
      await run();
      (durations[index] as Float64Array)[i] = performance.now() - started;
    }
  }
  return durations.map((sorted) => {
    sorted.sort();
    return {
      medianMs: sorted[Math.floor(samples / 2)] as number,
      p99Ms: sorted[Math.min(samples - 1, Math.floor(samples * 0.99))] as number,
      samples,
    };
  }) as { [Index in keyof Runs]: Timing };
}

/** The middle value (the upper middle of an even count). */
export function medianOf(values: readonly number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
}

export const ms = (value: number): string =>
  value < 1 ? `${(value * 1000).toFixed(1)} us` : `${value.toFixed(2)} ms`;

export function describeTiming(timing: Timing): string {
  return `median ${ms(timing.medianMs)}, p99 ${ms(timing.p99Ms)} (${timing.samples} runs)`;
}

export function printTable(rows: readonly BenchRow[]): void {
  console.log(
    markdownTable(
      ['benchmark', 'result', 'baseline', 'ratio', 'target'],
      rows.map((row) => [
        row.name,
        row.result,
        row.baseline ?? '',
        row.ratio === undefined ? '' : `${row.ratio.toFixed(2)}x`,
        row.target ?? '',
      ]),
    ),
  );
}
