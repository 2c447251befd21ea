/**
 * The monthly counts form (docs/domain.md §5) as data. The field list is configuration: a commune or a
 * province template adds rows through `counts.extraFields`, so nothing in the parser names a field.
 */
import type { CommuneConfig, CountFieldConfig } from '../../config/communes.js';
import type { CategoryKey } from '../categories.js';

/** One village-month (or a sum of them): row key → count. */
export type CountValues = Record<string, number>;

/** Adds `values` into `into`, row by row, and returns it. */
export function addValues(into: CountValues, values: CountValues): CountValues {
  for (const [key, value] of Object.entries(values)) into[key] = (into[key] ?? 0) + value;
  return into;
}

/**
 * Default rows, in the order of the form. `adultActs` marks the rows where a grown-up named before the
 * row did it to the child (or, for births, is the mother); on the other rows a grown-up's death or
 * accident is theirs, not a child's. Aliases are folded (no diacritics, lower case); the parser
 * folds the message the same way, and also accepts each alias written without spaces (`tuvong`), the
 * key itself and the label. A few aliases beyond the basic list are written out because the label
 * or common phrasing would otherwise split into two rows: "xâm hại tình dục" must not read as the
 * `xamhai` total followed by a stray word, "trẻ em sinh ra" loses its prefix and leaves "sinh ra".
 */
export const DEFAULT_COUNT_FIELDS: readonly CountFieldConfig[] = Object.freeze([
  // "sanh" is how the South says sinh.
  { key: 'sinh', label: 'Trẻ em sinh ra', aliases: ['sinh', 'tre sinh ra', 'sinh ra', 'moi sinh', 'ra doi', 'chao doi', 'sanh', 'moi de', 'sinh doi', 'song sinh', 'sinh non'], adultActs: true },
  // "mất" alone is died, but "mất ngủ", "mất điện", "mất tích" are not: it is weak (docs/domain.md §5).
  { key: 'tuvong', label: 'Trẻ em tử vong', aliases: ['tu vong', 'chet', 'qua doi'], weakAliases: ['mat'] },
  {
    key: 'tntt',
    label: 'Trẻ em bị tai nạn thương tích',
    // The kinds of injury a village head names instead of the row: a fall, a burn, a bite, a road accident…
    aliases: [
      'tntt', 'tai nan', 'thuong tich', 'tai nan thuong tich', 'tai nan lao dong', 'bi thuong', 'chan thuong', 'tngt', 'tai nan giao thong',
      'nga', 'te nga', 'bi te', 'gay tay', 'gay chan', 'gay xuong', 'bi bong', 'dien giat', 'ngo doc', 'cho can', 'ran can', 'suc vat can', 'ong dot',
      ...trafficPhrases(),
    ],
    // "TN 1": tai nạn as village heads shorten it, only beside a count ("TN" is also thanh niên).
    weakAliases: ['tn'],
  },
  // "nc" is chat shorthand for nước.
  { key: 'duoinuoc', label: 'Trẻ em bị đuối nước', aliases: ['duoi nuoc', 'chet duoi', 'duoi nc'] },
  { key: 'xamhai', label: 'Trẻ em bị xâm hại (tổng)', aliases: ['xam hai'], adultActs: true },
  { key: 'baoluc', label: '– bị bạo lực', aliases: ['bao luc', 'danh dap'], partOf: 'xamhai', adultActs: true },
  { key: 'tinhduc', label: '– bị xâm hại tình dục', aliases: ['tinh duc', 'xhtd', 'xam hai tinh duc', 'hiep dam', 'dam o'], partOf: 'xamhai', adultActs: true },
  {
    key: 'boclot',
    label: '– bị bóc lột / lao động trái quy định',
    aliases: ['boc lot', 'lao dong', 'lao dong trai quy dinh'],
    partOf: 'xamhai',
    adultActs: true,
  },
  { key: 'muaban', label: '– bị mua bán / bắt cóc', aliases: ['mua ban', 'bat coc'], partOf: 'xamhai', adultActs: true },
  { key: 'boroi', label: '– bị bỏ rơi, bỏ mặc', aliases: ['bo roi', 'bo mac'], partOf: 'xamhai', adultActs: true },
  { key: 'nguyco', label: 'Trẻ em có nguy cơ bị xâm hại', aliases: ['nguy co', 'nguy co bi xam hai'], adultActs: true },
  // Orphaned of both parents is the first of the special-circumstance groups (Luật Trẻ em 2016, Điều 10);
  // one parent lost ("mất mẹ") is not, and is asked (docs/domain.md §5).
  {
    key: 'hcdb',
    label: 'Trẻ em mới rơi vào hoàn cảnh đặc biệt',
    aliases: [
      'hcdb', 'hoan canh dac biet', 'mo coi ca cha lan me', 'mo coi ca cha va me', 'mo coi ca cha me', 'mo coi ca bo lan me',
      'mo coi ca bo va me', 'mo coi ca bo me', 'mat ca cha lan me', 'mat ca bo lan me', 'mat ca cha me', 'mat ca bo me',
    ],
    adultActs: true,
  },
  { key: 'bohoc', label: 'Trẻ em bỏ học', aliases: ['bo hoc', 'nghi hoc', 'thoi hoc'], lasting: true },
  // A marriage before the legal age (18 for a girl, 20 for a boy) is a child marriage: "1 cháu 16 tuổi lấy
  // chồng" counts; from 18 the sex decides, so it is asked.
  {
    key: 'taohon',
    label: 'Trẻ em tảo hôn',
    aliases: ['tao hon', 'ket hon som', 'lay chong som', 'lay vo som', 'cuoi som', 'lay chong', 'lay vo', 'cuoi chong', 'cuoi vo'],
    untilAge: 18,
  },
].map((field) => Object.freeze({ ...field, aliases: Object.freeze(field.aliases) as string[] })));

/**
 * A road accident as people put it: a vehicle and what it did, either order ("xe tông", "bị xe máy
 * đâm", "xe cán", "va chạm xe máy"), or "tai nạn xe máy", "bị tông". Verbs that are ordinary words before
 * a vehicle ("dùng xe" folds like "đụng xe") are only taken after it.
 */
function trafficPhrases(): string[] {
  const vehicles = ['xe', 'xe may', 'xe dap', 'xe dien', 'xe tai', 'xe khach', 'xe buyt', 'xe cong nong', 'cong nong', 'o to', 'oto'];
  const verbs = ['tong', 'dam', 'can', 'huc', 'dung', 'quet', 'va cham', 'va phai', 'tong phai', 'dam phai', 'can phai', 'dung phai'];
  const verbsFirst = ['tong', 'dam', 'va cham', 'tong phai', 'dam phai'];
  return [
    'bi tong',
    ...vehicles.flatMap((v) => [...verbs.map((verb) => `${v} ${verb}`), ...verbsFirst.map((verb) => `${verb} ${v}`), `tai nan ${v}`]),
  ];
}

/**
 * A row's label where it stands alone in a sentence or a list: a sub-row's "– bị bạo lực" is written
 * under its total on the form, and alone it is "Trẻ em bị bạo lực", as the confirmation names it.
 */
export function labelAlone(label: string): string {
  const stripped = label.replace(/^[\s\-–—]+/, '');
  if (stripped === label || !stripped) return label;
  return /^\p{Ll}/u.test(stripped) ? `Trẻ em ${stripped}` : stripped;
}

/**
 * The default rows plus a commune's extra rows. An extra row with an existing key replaces that row in
 * place (a province template may relabel or re-alias it); a new sub-row goes right after the other rows
 * of its total so confirmations read like the paper form; any other new row goes last.
 */
export function mergeCountFields(
  base: readonly CountFieldConfig[],
  extra: readonly CountFieldConfig[] = [],
): CountFieldConfig[] {
  const merged = base.map(copyField);
  for (const field of extra) {
    const existing = merged.findIndex((f) => f.key === field.key);
    if (existing >= 0) merged[existing] = copyField(field);
    else merged.splice(insertionIndex(merged, field), 0, copyField(field));
  }
  return merged;
}

/** The rows a commune's village heads fill in. */
export function countFieldsFor(commune: Pick<CommuneConfig, 'counts'>): CountFieldConfig[] {
  return mergeCountFields(DEFAULT_COUNT_FIELDS, commune.counts.extraFields);
}

function copyField(field: CountFieldConfig): CountFieldConfig {
  return { ...field, aliases: [...field.aliases], ...(field.weakAliases && { weakAliases: [...field.weakAliases] }) };
}

/** After the last row belonging to the same total (or the total itself); otherwise at the end. */
function insertionIndex(fields: readonly CountFieldConfig[], field: CountFieldConfig): number {
  if (!field.partOf) return fields.length;
  let last = -1;
  fields.forEach((f, i) => {
    if (f.key === field.partOf || f.partOf === field.partOf) last = i;
  });
  return last >= 0 ? last + 1 : fields.length;
}

/**
 * The monthly rows a report of each category is counted in (a child drowned is "đuối nước", one beaten
 * "bị bạo lực"), so a village head told to send the month's count is shown the row their news belongs to.
 */
export const ROWS_OF_CATEGORY: Readonly<Partial<Record<CategoryKey, readonly string[]>>> = {
  drowning: ['duoinuoc', 'tntt'],
  violence: ['baoluc'],
  bullying: ['baoluc'],
  sexual: ['tinhduc'],
  online: ['tinhduc'],
  labour: ['boclot'],
  trafficking: ['muaban'],
  abandonment: ['boroi'],
  neglect: ['boroi'],
  at_risk: ['nguyco'],
  dropout: ['bohoc'],
  marriage: ['taohon'],
};
