/**
 * `npm run bench`: runs every bench/*.bench.ts (or those named on the command line) and prints one
 * table at the end. Each bench module exports `run(): Promise<BenchRow[]>`.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { printTable, type BenchRow } from './harness';

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const files = readdirSync(__dirname)
    .filter((file) => file.endsWith('.bench.ts'))
    .filter((file) => wanted.length === 0 || wanted.some((name) => file.includes(name)))
    .sort();
  const rows: BenchRow[] = [];
  for (const file of files) {
    console.error(`running ${file} ...`);
    const bench = (await import(path.join(__dirname, file))) as { run: () => Promise<BenchRow[]> };
    rows.push(...(await bench.run()));
  }
  console.log('');
  printTable(rows);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
