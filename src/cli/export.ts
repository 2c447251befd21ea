/**
 * `npm run export -- --commune <id> --from 2025-01 --to 2025-06 --format csv|xlsx [--out file]`
 *
 * The counts and case statistics of src/reports/counts-export.ts. CSV goes to stdout unless --out is given; xlsx needs
 * a file and puts the two tables on two sheets.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { communeFigures } from '../store/figures.js';
import { parsePeriodKey } from '../domain/counts/periods.js';
import { countsCsv, countsXlsx } from '../reports/counts-export.js';
import { CountsStore } from '../store/counts.js';
import { DataCipher, generateDataKey } from '../store/crypto.js';
import { CaseStore } from '../store/cases.js';
import { connectCli, runCli } from './connect.js';

const USAGE = 'usage: npm run export -- --commune <id> --from YYYY-MM --to YYYY-MM --format csv|xlsx [--out file]';

runCli(async () => {
  const { values } = parseArgs({
    options: { commune: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, format: { type: 'string', default: 'csv' }, out: { type: 'string' } },
  });
  const { commune: id, from, to, format, out } = values;
  if (!id || !from || !to || !parsePeriodKey(from) || !parsePeriodKey(to) || from > to || (format !== 'csv' && format !== 'xlsx')) {
    console.error(USAGE);
    return 2;
  }
  const { config, redis, audit, actor } = await connectCli();
  try {
    const commune = config.communes.find((c) => c.id === id);
    if (!commune) {
      console.error(`Không có xã "${id}" trong cấu hình (có: ${config.communes.map((c) => c.id).join(', ')}).`);
      return 2;
    }
    // The export reads public fields only; a throwaway key makes that a guarantee, not a habit.
    const reports = new CaseStore(redis, DataCipher.fromString(generateDataKey()));
    const figures = await communeFigures({ redis, counts: new CountsStore(redis, audit), reports }, commune, from, to);
    if (format === 'xlsx') {
      const file = out ?? `so-lieu-${id}-${from}-${to}.xlsx`;
      writeFileSync(file, await countsXlsx([figures]));
      console.error(`Đã ghi ${file}`);
    } else if (out) {
      writeFileSync(out, countsCsv(figures));
      console.error(`Đã ghi ${out}`);
    } else {
      // Waits for the write: runCli exits right after, which would cut a piped file short.
      await new Promise<void>((resolve) => process.stdout.write(countsCsv(figures), () => resolve()));
    }
    // Logged once the figures are out, as a view is.
    await audit.add({ actor, action: 'cli.export', subject: commune.id, detail: `${format} ${from}..${to}` });
    return 0;
  } finally {
    redis.disconnect();
  }
});
