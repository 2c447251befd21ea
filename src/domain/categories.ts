/**
 * Report categories (docs/domain.md §4) with their base urgency and the folded keyword phrases that point
 * to them. Phrases are multi-word on purpose: folding makes single words ambiguous (bo = bỏ/bố/bò).
 */
import type { Urgency } from '../config/communes.js';

export const CATEGORY_KEYS = [
  'sexual',
  'violence',
  'trafficking',
  'abandonment',
  'neglect',
  'labour',
  'suicide',
  'online',
  'drowning',
  'at_risk',
  'advice',
  'other',
] as const;
export type CategoryKey = (typeof CATEGORY_KEYS)[number];

export interface Category {
  key: CategoryKey;
  label: string;
  /** The urgency the category has by itself; answers later can only raise it. */
  base: Urgency;
  /** Abuse form (Luật Trẻ em Điều 4) used in statistics; undefined for non-abuse categories. */
  form?: 'bao_luc' | 'tinh_duc' | 'boc_lot' | 'mua_ban' | 'bo_roi' | 'bo_mac';
  phrases: string[];
}

export const CATEGORIES: readonly Category[] = [
  {
    key: 'sexual',
    label: 'Xâm hại tình dục',
    base: 'P0',
    form: 'tinh_duc',
    phrases: ['xam hai tinh duc', 'hiep dam', 'cuong dam', 'giao cau', 'dam o', 'sam so', 'xam xo', 'quay roi tinh duc', 'au dam', 'mai dam', 'khieu dam', 'quan he tinh duc', 'lam nhuc'],
  },
  {
    key: 'trafficking',
    label: 'Mua bán, bắt cóc, mất tích',
    base: 'P0',
    form: 'mua_ban',
    phrases: ['mua ban', 'ban tre', 'bat coc', 'lua ban', 'dem ban', 'mat tich', 'bo nha di', 'bi bat di'],
  },
  {
    key: 'suicide',
    label: 'Có ý định tự tử',
    base: 'P0',
    phrases: ['tu tu', 'muon chet', 'tu sat', 'tu hai'],
  },
  {
    key: 'abandonment',
    label: 'Trẻ bị bỏ rơi',
    base: 'P0',
    form: 'bo_roi',
    phrases: ['bo roi', 'vut bo', 'tre so sinh bi bo', 'bo o cong'],
  },
  {
    key: 'violence',
    label: 'Bạo lực, đánh đập',
    base: 'P1',
    form: 'bao_luc',
    phrases: ['danh dap', 'bao hanh', 'bao luc', 'hanh ha', 'nguoc dai', 'lang ma', 'danh dap tre', 'danh con', 'danh chau', 'danh be', 'tat con', 'bi danh'],
  },
  {
    key: 'neglect',
    label: 'Bị bỏ mặc, không được chăm sóc',
    base: 'P1',
    form: 'bo_mac',
    phrases: ['bo mac', 'bo doi', 'khong cho an', 'bo mot minh', 'khong ai cham soc', 'bo doi bo'],
  },
  {
    key: 'labour',
    label: 'Bóc lột, lao động trẻ em',
    base: 'P1',
    form: 'boc_lot',
    phrases: ['boc lot', 'bat lam', 'lao dong tre em', 'lam thue', 'an xin', 'ban ve so', 'bat di lam'],
  },
  {
    key: 'online',
    label: 'Hình ảnh nhạy cảm, bị đe doạ trên mạng',
    base: 'P1',
    phrases: ['anh nong', 'clip nong', 'anh nhay cam', 'tong tien', 'bi de doa tren mang'],
  },
  {
    key: 'drowning',
    label: 'Nguy cơ đuối nước, tai nạn',
    base: 'P2',
    phrases: ['duoi nuoc', 'tai nan', 'tam song', 'tam suoi', 'ao sau', 'ho sau'],
  },
  {
    key: 'at_risk',
    label: 'Nguy cơ bị xâm hại, bỏ học, tảo hôn, hoàn cảnh khó khăn',
    base: 'P2',
    phrases: ['nguy co', 'bo hoc', 'tao hon', 'lay chong som', 'hoan canh dac biet', 'mo coi', 'nghien ma tuy'],
  },
  { key: 'advice', label: 'Hỏi thông tin, xin tư vấn', base: 'P3', phrases: ['tu van', 'hoi thong tin', 'cho hoi'] },
  { key: 'other', label: 'Việc khác', base: 'P2', phrases: ['xam hai'] },
];

export function categoryOf(key: CategoryKey): Category {
  const c = CATEGORIES.find((x) => x.key === key);
  if (!c) throw new Error(`unknown category ${key}`);
  return c;
}
