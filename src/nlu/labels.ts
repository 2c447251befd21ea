/**
 * The classifier's labels (docs/corpus.md): sixteen concern categories, each with the urgency it has by
 * itself, and seven kinds of message that are not a concern. The concern categories are
 * those of src/domain/categories.ts.
 */
import type { Urgency } from '../config/communes.js';
import { CATEGORIES, CONCERN_KEYS, type ConcernKey } from '../domain/categories.js';

/** The concern categories are the domain's (src/domain/categories.ts), in the model's order. */
export const CONCERN_LABELS = CONCERN_KEYS;
export type ConcernLabel = ConcernKey;

export const OTHER_LABELS = ['advice', 'service', 'status', 'counts', 'greeting', 'thanks', 'chat'] as const;
export type OtherLabel = (typeof OTHER_LABELS)[number];

export const LABELS = [...CONCERN_LABELS, ...OTHER_LABELS] as const;
export type Label = ConcernLabel | OtherLabel;

export interface ConcernCategory {
  key: ConcernLabel;
  /** What people read when the conversation offers the category as a choice. */
  label: string;
  /** The urgency the category has by itself; cues and the severity model can only raise it. */
  base: Urgency;
}

export const CONCERN_CATEGORIES: Readonly<Record<ConcernLabel, ConcernCategory>> = Object.freeze(
  Object.fromEntries(
    CONCERN_KEYS.map((key) => {
      const c = CATEGORIES.find((x) => x.key === key);
      if (!c) throw new Error(`category ${key} missing from src/domain/categories.ts`);
      return [key, { key, label: c.label, base: c.base }];
    }),
  ) as Record<ConcernLabel, ConcernCategory>,
);

const CONCERN_SET: ReadonlySet<string> = new Set(CONCERN_LABELS);

export function isConcernLabel(label: string): label is ConcernLabel {
  return CONCERN_SET.has(label);
}
