/**
 * `npm run report -- --commune <id> --period 2025-H1|2025 [--format md|xlsx] [--out file]`
 *
 * The 6-month or annual report draft following Phụ lục 01 (docs/domain.md §6, docs/reports.md): every figure the service
 * holds (village counts, reports received, the same period a year earlier) is filled in; the prose
 * sections stay as headings for the officer to write. Markdown (default) or the XLSX laid out like the
 * official form, the same document the web console offers (src/reports/phu-luc-01.ts).
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { communeFigures } from '../store/figures.js';
import { addMonths, parseSpan } from '../domain/counts/periods.js';
import { phuLuc01, signingDate, type ReportDocument } from '../reports/phu-luc-01.js';
import { phuLuc01Xlsx } from '../reports/phu-luc-01-xlsx.js';
import { CountsStore } from '../store/counts.js';
import { DataCipher, generateDataKey } from '../store/crypto.js';
import { CaseStore } from '../store/cases.js';
import { connectCli, runCli } from './connect.js';

const USAGE = 'usage: npm run report -- --commune <id> --period 2025-H1|2025-H2|2025 [--format md|xlsx] [--out file] (xlsx needs --out)';

/** A Markdown table row. */
const row = (cells: ReadonlyArray<string | number>): string => `| ${cells.join(' | ')} |`;

function table(columns: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number>>, boldLast = false): string[] {
  const body = rows.map((r, i) => row(boldLast && i === rows.length - 1 ? r.map((c) => `**${c}**`) : r));
  return [row(columns), row(columns.map(() => '---')), ...body, ''];
}

function markdown(doc: ReportDocument): string {
  const out = [`# ${doc.title} ${doc.subtitle}`, '', `**${doc.authority}** · ${doc.periodText}`, '', `> ${doc.note}`, ''];
  for (const b of doc.blocks) {
    if (b.kind === 'heading') out.push(`${b.level === 1 ? '##' : '###'} ${b.text}`, '');
    else if (b.kind === 'text') out.push(b.text, '');
    else out.push(...table(b.columns, b.rows));
  }
  out.push(`## Phụ lục: ${doc.appendix.title}`, '', ...table(doc.appendix.columns, doc.appendix.rows, true));
  return out.join('\n');
}

runCli(async () => {
  const { values } = parseArgs({ options: { commune: { type: 'string' }, period: { type: 'string' }, format: { type: 'string', default: 'md' }, out: { type: 'string' } } });
  const span = values.period ? parseSpan(values.period) : undefined;
  if (!values.commune || !span || span.kind === 'month' || (values.format !== 'md' && values.format !== 'xlsx') || (values.format === 'xlsx' && !values.out)) {
    console.error(USAGE);
    return 2;
  }
  const { config, redis, audit, actor } = await connectCli();
  try {
    const commune = config.communes.find((c) => c.id === values.commune);
    if (!commune) {
      console.error(`Không có xã "${values.commune}" trong cấu hình (có: ${config.communes.map((c) => c.id).join(', ')}).`);
      return 2;
    }
    // Public fields only; a throwaway key makes that a guarantee.
    const stores = { redis, counts: new CountsStore(redis, audit), reports: new CaseStore(redis, DataCipher.fromString(generateDataKey())) };
    const [figures, earlier] = await Promise.all([
      communeFigures(stores, commune, span.from, span.to),
      communeFigures(stores, commune, addMonths(span.from, -12), addMonths(span.to, -12)),
    ]);
    const scope = { authority: `UBND ${commune.name}`, place: commune.name.replace(/^Xã\s+/i, '') };
    const doc = phuLuc01({ span, figures, earlier, scope });
    const text = values.format === 'xlsx' ? await phuLuc01Xlsx(doc, signingDate(Date.now(), commune.timezone)) : markdown(doc);
    if (values.out) {
      writeFileSync(values.out, text);
      console.error(`Đã ghi ${values.out}`);
    } else {
      await new Promise<void>((resolve) => process.stdout.write(text, () => resolve()));
    }
    await audit.add({ actor, action: 'cli.report', subject: commune.id, detail: `${values.format} ${values.period}` });
    return 0;
  } finally {
    redis.disconnect();
  }
});
