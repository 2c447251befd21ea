/**
 * The classifier's labels (docs/corpus.md): sixteen concern categories, each with the urgency it has by
 * itself, and seven kinds of message that are not a concern. The concern keys extend
 * src/domain/categories.ts with bullying, missing, marriage, dropout and law.
 */
import type { Urgency } from '../config/communes.js';

export const CONCERN_LABELS = [
  'sexual',
  'online',
  'violence',
  'bullying',
  'trafficking',
  'missing',
  'abandonment',
  'neglect',
  'labour',
  'marriage',
  'dropout',
  'law',
  'drowning',
  'suicide',
  'at_risk',
  'other',
] as const;
export type ConcernLabel = (typeof CONCERN_LABELS)[number];

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

export const CONCERN_CATEGORIES: Readonly<Record<ConcernLabel, ConcernCategory>> = Object.freeze({
  sexual: { key: 'sexual', label: 'Xâm hại tình dục', base: 'P0' },
  online: { key: 'online', label: 'Bị dụ dỗ, đe doạ, xâm hại trên mạng', base: 'P1' },
  violence: { key: 'violence', label: 'Bạo lực, đánh đập', base: 'P1' },
  bullying: { key: 'bullying', label: 'Bắt nạt, bạo lực học đường', base: 'P1' },
  trafficking: { key: 'trafficking', label: 'Mua bán, bắt cóc trẻ em', base: 'P0' },
  missing: { key: 'missing', label: 'Trẻ mất tích, bỏ nhà đi', base: 'P0' },
  abandonment: { key: 'abandonment', label: 'Trẻ bị bỏ rơi', base: 'P0' },
  neglect: { key: 'neglect', label: 'Bị bỏ mặc, không được chăm sóc', base: 'P1' },
  labour: { key: 'labour', label: 'Bóc lột, lao động trẻ em', base: 'P1' },
  marriage: { key: 'marriage', label: 'Tảo hôn, ép kết hôn', base: 'P2' },
  dropout: { key: 'dropout', label: 'Bỏ học', base: 'P2' },
  law: { key: 'law', label: 'Trẻ vi phạm pháp luật', base: 'P2' },
  drowning: { key: 'drowning', label: 'Đuối nước, tai nạn, thương tích', base: 'P2' },
  suicide: { key: 'suicide', label: 'Có ý định tự tử, tự làm hại', base: 'P0' },
  at_risk: { key: 'at_risk', label: 'Nguy cơ bị xâm hại, hoàn cảnh đặc biệt', base: 'P2' },
  other: { key: 'other', label: 'Việc khác', base: 'P2' },
});

const CONCERN_SET: ReadonlySet<string> = new Set(CONCERN_LABELS);

export function isConcernLabel(label: string): label is ConcernLabel {
  return CONCERN_SET.has(label);
}
