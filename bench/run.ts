/**
 * `npm run bench`: runs every bench/*.bench.ts (or those named on the command line) one after another and
 * prints their figures. Benchmarks measure; they never fail on a slow machine.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('.', import.meta.url));
const wanted = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => !wanted.length || wanted.some((w) => f.includes(w)))
  .sort();

for (const file of files) {
  const mod = (await import(new URL(file, import.meta.url).href)) as { default: () => Promise<Record<string, number | string>> };
  console.log(`\n== ${file.replace('.bench.ts', '')}`);
  const t0 = Date.now();
  const figures = await mod.default();
  for (const [k, v] of Object.entries(figures)) console.log(`  ${k}: ${v}`);
  console.log(`  (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
}
process.exit(0);
