/**
 * The communes file (CONFIG_FILE, JSON or YAML): communes, villages, hotlines, who is alerted, legal
 * clocks and report deadlines. Everything docs/domain.md names as configuration lives here, not in code.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ConfigError, describeIssues } from './env.js';

export const STAFF_ROLES = ['officer', 'chair', 'police', 'village_head', 'admin', 'province'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];
export const URGENCIES = ['P0', 'P1', 'P2', 'P3'] as const;
export type Urgency = (typeof URGENCIES)[number];

/** The zone of a commune whose entry names none: every commune this service was built for is in Vietnam. */
export const DEFAULT_TIMEZONE = 'Asia/Ho_Chi_Minh';

const role = z.enum(STAFF_ROLES);
const monthDay = z.string().regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'must be MM-DD');
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD');
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM');

/**
 * One urgency's alert chain: who is next after the alert roles, and how long each step has to be
 * acknowledged before the next one is told.
 */
const ChainSchema = z.object({
  ackMinutes: z.number().positive().default(10),
  chain: z.array(role).min(1).default(['officer', 'chair', 'province']),
});
export type AlertChain = z.infer<typeof ChainSchema>;

const VillageSchema = z.object({
  name: z.string().min(1),
  aliases: z.array(z.string().min(1)).default([]),
});

const CountFieldSchema = z.object({
  key: z.string().regex(/^[a-z][a-z0-9_]*$/),
  label: z.string().min(1),
  aliases: z.array(z.string().min(1)).min(1),
  /**
   * Names that are also ordinary words or stand for other things ("TV", "ĐN", "mất"): they name the row
   * only beside a count or as an item of a list of rows (docs/domain.md §5).
   */
  weakAliases: z.array(z.string().min(1)).optional(),
  /** Key of the total this field is a sub-row of (e.g. baoluc → xamhai). */
  partOf: z.string().optional(),
  /**
   * A grown-up named as the one who does it is the mother or the wrongdoer ("mẹ cháu mới sinh", "bố mẹ
   * bỏ rơi 1 cháu"), so the count is still the child's. Without it, "mẹ cháu bị tai nạn" is the
   * mother's accident and is not counted (docs/domain.md §5).
   */
  adultActs: z.boolean().optional(),
  /** The age from which a person is not counted in this row (default 16, Luật Trẻ em: a child is under 16). */
  untilAge: z.number().int().positive().optional(),
  /**
   * A state that lasts (left school): named with a span of time right after it ("nghỉ học mấy hôm",
   * "nghỉ học 2 tuần") it was a passing absence, not this row, and is said back (docs/domain.md §5).
   */
  lasting: z.boolean().optional(),
});
export type CountFieldConfig = z.infer<typeof CountFieldSchema>;

const CommuneSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/, 'must be lower-case letters, digits and dashes'),
  name: z.string().min(1),
  province: z.string().min(1),
  timezone: z.string().default(DEFAULT_TIMEZONE),
  villages: z.array(VillageSchema).min(1, 'a commune needs at least one village'),
  /** The commune's Zalo OA as people find it in Zalo (its name): told to whom the Zalo Bot cannot read. */
  zaloOa: z.string().min(1).optional(),
  hotlines: z
    .object({
      child: z.string().default('111'),
      police: z.string().default('113'),
      ambulance: z.string().default('115'),
      province: z.string().optional(),
    })
    .default({ child: '111', police: '113', ambulance: '115' }),
  /** Where people can meet the commune's officers: answered to "gặp trực tiếp cán bộ ở đâu", "số điện thoại của xã". */
  office: z.object({ address: z.string().min(1).optional(), phone: z.string().min(1).optional() }).default({}),
  alerts: z
    .object({ P0: z.array(role), P1: z.array(role), P2: z.array(role), P3: z.array(role) })
    .default({ P0: ['officer', 'chair', 'police'], P1: ['officer'], P2: ['officer'], P3: [] }),
  /** The P0 chain (kept under its first name); `chains` holds P1 and P2 (docs/case-lifecycle.md). */
  escalation: ChainSchema.default({ ackMinutes: 10, chain: ['officer', 'chair', 'province'] }),
  chains: z
    .object({ P1: ChainSchema.optional(), P2: ChainSchema.optional() })
    .default({})
    .transform((c) => ({ P1: c.P1 ?? { ackMinutes: 240, chain: ['officer', 'chair'] as StaffRole[] }, P2: c.P2 ?? { ackMinutes: 1440, chain: ['officer', 'chair'] as StaffRole[] } })),
  referral: z
    .object({ followUpWorkingDays: z.number().int().positive().default(5) })
    .default({ followUpWorkingDays: 5 }),
  clocks: z
    .object({
      emergencyHours: z.number().positive().default(12),
      emergencyRemindAtHours: z.array(z.number().positive()).default([6, 10]),
      planWorkingDays: z.number().int().positive().default(5),
      planRemindAtWorkingDays: z.array(z.number().int().positive()).default([3, 4]),
    })
    .default({ emergencyHours: 12, emergencyRemindAtHours: [6, 10], planWorkingDays: 5, planRemindAtWorkingDays: [3, 4] }),
  workingHours: z
    .object({ start: hhmm.default('07:30'), end: hhmm.default('17:00') })
    .default({ start: '07:30', end: '17:00' }),
  holidays: z.array(isoDate).default([]),
  counts: z
    .object({
      dueDay: z.number().int().min(1).max(28).default(25),
      remindDaysBefore: z.array(z.number().int().positive()).default([3, 1]),
      remindDaysAfter: z.array(z.number().int().positive()).default([2, 5]),
      lockAfterDays: z.number().int().positive().default(45),
      extraFields: z.array(CountFieldSchema).default([]),
    })
    .default({ dueDay: 25, remindDaysBefore: [3, 1], remindDaysAfter: [2, 5], lockAfterDays: 45, extraFields: [] }),
  deadlines: z
    .array(z.object({ key: z.string().min(1), label: z.string().min(1), due: monthDay }))
    .default([]),
  deadlineRemindDays: z.array(z.number().int().positive()).default([7, 3, 1]),
});
export type CommuneConfig = z.infer<typeof CommuneSchema>;

/** The alert chain of an urgency: P0's is `escalation`, P1's and P2's are in `chains`; P3 has none. */
export function chainOf(commune: Pick<CommuneConfig, 'escalation' | 'chains'>, urgency: Urgency): AlertChain | undefined {
  if (urgency === 'P0') return commune.escalation;
  if (urgency === 'P1' || urgency === 'P2') return commune.chains[urgency];
  return undefined;
}

const FileSchema = z
  .object({
    draftTtlHours: z.number().positive().default(48),
    inviteTtlDays: z.number().positive().default(7),
    communes: z.array(CommuneSchema).min(1, 'at least one commune is required'),
  })
  .superRefine((file, ctx) => {
    const seen = new Set<string>();
    file.communes.forEach((c, i) => {
      if (seen.has(c.id)) ctx.addIssue({ code: 'custom', path: ['communes', i, 'id'], message: `duplicate id "${c.id}"` });
      seen.add(c.id);
      try {
        new Intl.DateTimeFormat('en', { timeZone: c.timezone });
      } catch {
        ctx.addIssue({ code: 'custom', path: ['communes', i, 'timezone'], message: `unknown time zone "${c.timezone}"` });
      }
    });
  });
export type ServiceConfig = z.infer<typeof FileSchema>;

/**
 * The zone a commune's dates are read in. A commune no longer in the file (an old report, a dead letter
 * from before a change) gets the zone an entry without `timezone` would get.
 */
export function timezoneOf(config: Pick<ServiceConfig, 'communes'>, communeId: string | null | undefined): string {
  return config.communes.find((c) => c.id === communeId)?.timezone ?? DEFAULT_TIMEZONE;
}

export function parseServiceConfig(raw: unknown, source = 'config'): ServiceConfig {
  const parsed = FileSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(`Invalid ${source}:\n${describeIssues(parsed.error)}`);
  return parsed.data;
}

export function loadServiceConfig(path: string): ServiceConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`CONFIG_FILE: cannot read "${path}" (${(err as Error).message})`);
  }
  let raw: unknown;
  try {
    raw = /\.json$/i.test(path) ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new ConfigError(`CONFIG_FILE: "${path}" is not valid ${/\.json$/i.test(path) ? 'JSON' : 'YAML'}: ${(err as Error).message}`);
  }
  return parseServiceConfig(raw, `CONFIG_FILE "${path}"`);
}
