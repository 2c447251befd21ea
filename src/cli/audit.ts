/**
 * `npm run audit -- verify`: walks the audit log's hash chain; exit 0 when intact, 1 naming the first
 * broken entry. `npm run audit -- list [--case TE-…] [--person <identity>] [--from YYYY-MM-DD]
 * [--to YYYY-MM-DD] [--limit N]`: entries, newest first, one per line (dates in the first commune's
 * time zone). Needs DATA_KEY, as the service does (the chain's key comes from it).
 */
import { parseArgs } from 'node:util';
import { DEFAULT_TIMEZONE } from '../config/communes.js';
import { formatLocal, zonedInstant, type LocalDay } from '../domain/local-time.js';
import { connectCli, runCli } from './connect.js';

const USAGE = 'usage: npm run audit -- verify | list [--case TE-…] [--person <identity>] [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--limit N]';
const DAY = /^\d{4}-\d{2}-\d{2}$/;

runCli(async () => {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { case: { type: 'string' }, person: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, limit: { type: 'string', default: '200' } },
  });
  const [command] = positionals;
  const limit = Number(values.limit);
  const badDay = [values.from, values.to].some((d) => d !== undefined && !DAY.test(d));
  if ((command !== 'verify' && command !== 'list') || badDay || !(limit > 0)) {
    console.error(USAGE);
    return 2;
  }
  const { config, redis, audit } = await connectCli();
  try {
    if (command === 'verify') {
      const report = await audit.verify();
      if (!report.ok) {
        const { id, seq, reason } = report.broken;
        console.log(`HỎNG: nhật ký bị sửa ở mục ${id}${seq ? ` (số ${seq})` : ''}: ${reason}. Đã kiểm ${report.entries} mục.`);
        return 1;
      }
      const old = report.unchained ? ` (${report.unchained} mục cũ ghi trước khi có chuỗi, không kiểm được)` : '';
      console.log(`Nguyên vẹn: ${report.entries} mục${old}. Đầu chuỗi: ${report.head ?? '(trống)'}`);
      // The head printed here, kept outside this Redis, is what shows a later cut of the newest entries.
      console.log('Ghi lại đầu chuỗi ở nơi khác để sau này phát hiện được việc xoá các mục mới nhất.');
      return 0;
    }
    const tz = config.communes[0]?.timezone ?? DEFAULT_TIMEZONE;
    const entries = await audit.list(
      {
        subject: values.case?.trim().toUpperCase(),
        actor: values.person,
        from: values.from ? zonedInstant(values.from as LocalDay, '00:00', tz) : undefined,
        to: values.to ? zonedInstant(values.to as LocalDay, '23:59', tz) + 59_999 : undefined,
      },
      limit,
    );
    // The stream id's time: the instant Redis recorded the entry (an entry's own `at` may be a job's).
    for (const e of entries) console.log([formatLocal(Number(e.id.split('-')[0]), tz), e.actor, e.action, e.subject, e.detail ?? ''].join('\t'));
    if (!entries.length) console.log('(không có mục nào)');
    return 0;
  } finally {
    redis.disconnect();
  }
});
