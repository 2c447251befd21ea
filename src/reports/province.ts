/**
 * A province's totals: the figures of every commune of the province added up, for the province's own
 * report and download. A commune that sent nothing adds nothing, and the coverage says so.
 */
import type { CommuneFigures, Tally } from '../domain/counts/figures.js';
import { addValues, type CountValues } from '../domain/counts/fields.js';

function sumTallies(lists: ReadonlyArray<readonly Tally[]>): Tally[] {
  const first = lists[0] ?? [];
  return first.map((t, i) => ({ label: t.label, count: lists.reduce((s, l) => s + (l[i]?.count ?? 0), 0) }));
}

export function combineFigures(list: readonly CommuneFigures[], province: string): CommuneFigures {
  const first = list[0];
  if (!first) throw new Error('combineFigures: no commune');
  const total: CountValues = {};
  for (const f of list) addValues(total, f.total);
  const fields = [...first.fields];
  for (const f of list) for (const x of f.fields) if (!fields.some((y) => y.key === x.key)) fields.push(x);
  return {
    commune: { id: `province:${province}`, name: province, province },
    from: first.from,
    to: first.to,
    months: first.months,
    fields,
    grid: [],
    byVillage: [],
    total,
    submitted: list.reduce((s, f) => s + f.submitted, 0),
    expected: list.reduce((s, f) => s + f.expected, 0),
    cases: {
      total: list.reduce((s, f) => s + f.cases.total, 0),
      finished: list.reduce((s, f) => s + f.cases.finished, 0),
      byCategory: sumTallies(list.map((f) => f.cases.byCategory)),
      byUrgency: sumTallies(list.map((f) => f.cases.byUrgency)),
      byStatus: sumTallies(list.map((f) => f.cases.byStatus)),
    },
  };
}
