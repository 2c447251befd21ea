/**
 * Report categories (docs/domain.md §4, docs/corpus.md "Labels"): the one list of what a report can be about, with the
 * Vietnamese label people read and the urgency each has by itself. The classifier (src/nlu) is trained
 * on exactly these keys; `advice` is the only one that is not a concern about a child.
 */
import type { Urgency } from '../config/communes.js';

/** The concern keys, in the order the classifier's model stores them. */
export const CONCERN_KEYS = [
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
export type ConcernKey = (typeof CONCERN_KEYS)[number];

export const CATEGORY_KEYS = [...CONCERN_KEYS, 'advice'] as const;
export type CategoryKey = (typeof CATEGORY_KEYS)[number];

export interface Category {
  key: CategoryKey;
  label: string;
  /** The urgency the category has by itself; the text and the answers can only raise it. */
  base: Urgency;
  /** Abuse form (Luật Trẻ em Điều 4) used in statistics; undefined for non-abuse categories. */
  form?: 'bao_luc' | 'tinh_duc' | 'boc_lot' | 'mua_ban' | 'bo_roi' | 'bo_mac';
}

// Shown in this order when the person picks: the first ten as before (a typed "5" still means violence),
// then the narrower ones split out of them.
export const CATEGORIES: readonly Category[] = [
  { key: 'sexual', label: 'Xâm hại tình dục', base: 'P0', form: 'tinh_duc' },
  { key: 'trafficking', label: 'Mua bán, bắt cóc trẻ em', base: 'P0', form: 'mua_ban' },
  { key: 'suicide', label: 'Có ý định tự tử, tự làm hại', base: 'P0' },
  { key: 'abandonment', label: 'Trẻ bị bỏ rơi', base: 'P0', form: 'bo_roi' },
  { key: 'violence', label: 'Bạo lực, đánh đập', base: 'P1', form: 'bao_luc' },
  { key: 'neglect', label: 'Bị bỏ mặc, không được chăm sóc', base: 'P1', form: 'bo_mac' },
  { key: 'labour', label: 'Bóc lột, lao động trẻ em', base: 'P1', form: 'boc_lot' },
  { key: 'online', label: 'Bị dụ dỗ, đe doạ, xâm hại trên mạng', base: 'P1' },
  { key: 'drowning', label: 'Đuối nước, tai nạn, thương tích', base: 'P2' },
  { key: 'at_risk', label: 'Nguy cơ bị xâm hại, hoàn cảnh đặc biệt', base: 'P2' },
  { key: 'missing', label: 'Trẻ mất tích, bỏ nhà đi', base: 'P0' },
  // Violence by other children is still violence in the statistics.
  { key: 'bullying', label: 'Bắt nạt, bạo lực học đường', base: 'P1', form: 'bao_luc' },
  { key: 'marriage', label: 'Tảo hôn, ép kết hôn', base: 'P2' },
  { key: 'dropout', label: 'Bỏ học', base: 'P2' },
  { key: 'law', label: 'Trẻ vi phạm pháp luật', base: 'P2' },
  { key: 'advice', label: 'Hỏi thông tin, xin tư vấn', base: 'P3' },
  { key: 'other', label: 'Việc khác', base: 'P2' },
];

const BY_KEY: ReadonlyMap<string, Category> = new Map(CATEGORIES.map((c) => [c.key, c]));

export function categoryOf(key: CategoryKey): Category {
  const c = BY_KEY.get(key);
  if (!c) throw new Error(`unknown category ${key}`);
  return c;
}

export function isCategoryKey(key: string): key is CategoryKey {
  return BY_KEY.has(key);
}
