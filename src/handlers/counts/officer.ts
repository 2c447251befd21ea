/**
 * Commune staff (officer, chair, admin) follow the monthly counts: who has sent a month (/tinhhinh),
 * the commune's totals for a month, a half year or a year (/tonghop), and unlocking a closed month
 * for one village or all (/mokhoa).
 */
import type { CommuneConfig, CountFieldConfig } from '../../config/communes.js';
import { monthSpan, monthsOf, parseSpan, shortPeriod, type PeriodSpan } from '../../domain/counts/periods.js';
import { formatDay, localDay } from '../../domain/local-time.js';
import { matchVillage } from '../../domain/villages.js';
import type { CountValues } from '../../domain/counts/fields.js';
import { ALL_VILLAGES } from '../../store/counts.js';
import type { Member } from '../../store/roles.js';
import { foldWords } from '../../text/vietnamese.js';
import type { Feature, TurnContext } from '../turn.js';
import { COUNTS_STAFF, dueDayText, fieldsOf, reportingPeriod, todayIn } from './common.js';
import { countsAsked, spanWords, type CountsAsk } from './officer-words.js';

/** How long an unlock lasts: long enough to send a correction, short enough that the month closes again. */
export const UNLOCK_DAYS = 7;
const DAY_MS = 86_400_000;

const STAFF_ONLY = 'Xin lỗi, lệnh này chỉ dành cho cán bộ xã (cán bộ bảo vệ trẻ em, lãnh đạo UBND xã, quản trị) đã đăng ký.';

interface Staff {
  member: Member;
  commune: CommuneConfig;
}

/** The writer as commune staff who follow the counts, or undefined. */
async function countsStaff(ctx: TurnContext): Promise<Staff | undefined> {
  const member = await ctx.ownRole();
  const commune = member && ctx.commune(member.communeId);
  return member && commune && (COUNTS_STAFF as readonly string[]).includes(member.role) ? { member, commune } : undefined;
}

/** The same, telling anyone else that the command is the staff's. */
async function staffOf(ctx: TurnContext): Promise<Staff | undefined> {
  const staff = await countsStaff(ctx);
  if (!staff) ctx.reply(STAFF_ONLY);
  return staff;
}

/** The span typed after a command, or the month now being reported when nothing was typed. */
function spanArg(ctx: TurnContext, commune: CommuneConfig, args: string): PeriodSpan | undefined {
  const now = ctx.services.now();
  if (!args.trim()) return monthSpan(reportingPeriod(commune, now));
  return parseSpan(args, todayIn(commune, now));
}

/** Lines "label: value" in form order; rows nobody sent show as "—". */
export function totalLines(fields: readonly CountFieldConfig[], values: CountValues): string[] {
  return fields.map((f) => `${f.label}: ${values[f.key] ?? '—'}`);
}

async function situation(ctx: TurnContext, commune: CommuneConfig, period: string): Promise<void> {
  const versions = await ctx.services.counts.currentAll(commune.id, period);
  const byVillage = new Map(versions.map((v) => [v.village, v]));
  const sent = commune.villages.filter((v) => byVillage.has(v.name));
  const notSent = commune.villages.filter((v) => !byVillage.has(v.name));
  const lines = [`📊 Số liệu ${shortPeriod(period)} (hạn ${dueDayText(commune, period)}): ${sent.length}/${commune.villages.length} thôn đã gửi.`];
  if (sent.length) {
    lines.push('Đã gửi:');
    for (const v of sent) {
      const version = byVillage.get(v.name);
      if (!version) continue;
      const notes = [version.version > 1 ? `phiên bản ${version.version}` : '', version.late ? 'gửi muộn' : ''].filter(Boolean);
      lines.push(`• ${v.name}${notes.length ? ` (${notes.join(', ')})` : ''}`);
    }
  }
  if (notSent.length) lines.push('Chưa gửi:', ...notSent.map((v) => `• ${v.name}`));
  const strays = versions.filter((v) => !commune.villages.some((c) => c.name === v.village));
  if (strays.length) lines.push(`Ngoài danh sách thôn: ${strays.map((v) => v.village).join(', ')}`);
  ctx.reply(lines.join('\n'));
}

async function totals(ctx: TurnContext, commune: CommuneConfig, span: PeriodSpan): Promise<void> {
  const months = monthsOf(span);
  const { values, submissions } = await ctx.services.counts.totals([commune.id], months);
  const expected = commune.villages.length * months.length;
  const head = `📈 Tổng hợp số liệu ${span.label}, ${commune.name}`;
  const coverage = span.kind === 'month' ? `${submissions}/${commune.villages.length} thôn đã gửi` : `${submissions}/${expected} báo cáo tháng đã gửi: ${commune.villages.length} thôn × ${months.length} tháng`;
  if (submissions === 0) {
    ctx.reply(`${head}: chưa có thôn nào gửi số liệu.`);
    return;
  }
  ctx.reply([`${head} (${coverage}):`, ...totalLines(fieldsOf(commune), values).map((l) => `• ${l}`)].join('\n'));
}

/** "/mokhoa Nà Ca T10/2025": the month at the end, the village (or "tất cả") before it. */
async function unlock(ctx: TurnContext, member: Member, commune: CommuneConfig, args: string): Promise<void> {
  const usage = 'Cách dùng: /mokhoa THÔN THÁNG, ví dụ: /mokhoa Nà Ca T10/2025 (hoặc /mokhoa tất cả T10/2025).';
  const words = args.trim().split(/\s+/).filter(Boolean);
  const today = todayIn(commune, ctx.services.now());
  for (let k = Math.min(4, words.length); k >= 1; k--) {
    const span = parseSpan(words.slice(-k).join(' '), today);
    if (span?.kind !== 'month') continue;
    const villageText = words.slice(0, -k).join(' ');
    const all = ['tat ca', 'ca xa', 'tat ca cac thon'].includes(foldWords(villageText));
    const village = all ? ALL_VILLAGES : matchVillage(villageText, commune);
    if (!village) {
      ctx.reply(`Không tìm thấy thôn "${villageText}" trong ${commune.name}. ${usage}`);
      return;
    }
    const now = ctx.services.now();
    const until = now + UNLOCK_DAYS * DAY_MS;
    await ctx.services.counts.unlock({ communeId: commune.id, period: span.from, village, by: ctx.identity, until }, now);
    const who = all ? 'tất cả các thôn' : village;
    ctx.reply(`🔓 Đã mở khoá số liệu ${shortPeriod(span.from)} cho ${who} đến hết ngày ${formatDay(localDay(until, commune.timezone))}. Trưởng thôn có thể gửi hoặc sửa số liệu trong thời gian này.`);
    ctx.services.log.info({ by: member.identity, communeId: commune.id, period: span.from, village }, 'counts period unlocked');
    return;
  }
  ctx.reply(usage);
}

const COMMANDS: Record<string, CountsAsk> = { tinhhinh: 'situation', tonghop: 'totals' };

/** The workbook is made in the console, where the download is audited like every view. */
const EXPORT_HINT = 'Bản Excel (số liệu hoặc mẫu Phụ lục 01) tải trên trang quản lý: gửi /web để nhận đường link đăng nhập, rồi vào mục "Báo cáo".';

/**
 * A counts request in the staff's own words ("thôn nào chưa gửi số liệu tháng 11"), with the period it
 * names; only for staff of a commune: the same words from anyone else go on to the other features.
 */
async function typedRequest(ctx: TurnContext): Promise<{ ask: CountsAsk; args: string; staff: Staff } | undefined> {
  const ask = countsAsked(ctx.folded);
  const staff = ask && (await countsStaff(ctx));
  return ask && staff ? { ask, args: spanWords(ctx.folded, todayIn(staff.commune, ctx.services.now())), staff } : undefined;
}

export const countsOfficerFeature: Feature = {
  name: 'counts-officer',
  async handle(ctx) {
    const cmd = ctx.command;
    let request: { ask: CountsAsk | 'unlock'; args: string; staff?: Staff } | undefined;
    if (cmd === 'mokhoa') request = { ask: 'unlock', args: ctx.commandArgs };
    else if (cmd && COMMANDS[cmd]) request = { ask: COMMANDS[cmd] as CountsAsk, args: ctx.commandArgs };
    else if (!cmd && !ctx.msg.choice) request = await typedRequest(ctx);
    if (!request) return false;
    const staff = request.staff ?? (await staffOf(ctx));
    if (!staff) return true;
    const { member, commune } = staff;
    if (request.ask === 'unlock') {
      await unlock(ctx, member, commune, request.args);
      return true;
    }
    const span = spanArg(ctx, commune, request.args);
    if (!span) {
      ctx.reply('Không hiểu kỳ báo cáo. Ví dụ: T10/2025 (một tháng), 2025-H1 hoặc "6 tháng 2025" (6 tháng đầu năm), 2025 (cả năm).');
      return true;
    }
    if (request.ask === 'totals') await totals(ctx, commune, span);
    else if (request.ask === 'export') {
      await totals(ctx, commune, span);
      ctx.reply(EXPORT_HINT);
    } else if (span.kind === 'month') await situation(ctx, commune, span.from);
    else ctx.reply('Lệnh /tinhhinh xem từng tháng, ví dụ: /tinhhinh T10/2025.');
    return true;
  },
};
