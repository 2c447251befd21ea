/** Case lifecycle (domain.md §3) and the coarse status a reporter is allowed to see. */
export const CASE_STATUSES = ['new', 'acknowledged', 'assessing', 'intervening', 'closed', 'referred'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export const STATUS_LABEL: Record<CaseStatus, string> = {
  new: 'Mới',
  acknowledged: 'Đã tiếp nhận',
  assessing: 'Đang xác minh, đánh giá',
  intervening: 'Đang hỗ trợ, can thiệp',
  closed: 'Đã đóng',
  referred: 'Đã chuyển cơ quan khác',
};

export type CoarseStatus = 'received' | 'in_progress' | 'done';

export function coarseStatus(status: CaseStatus): CoarseStatus {
  if (status === 'new') return 'received';
  if (status === 'closed' || status === 'referred') return 'done';
  return 'in_progress';
}

export const COARSE_LABEL: Record<CoarseStatus, string> = {
  received: 'Đã nhận',
  in_progress: 'Đang xử lý',
  done: 'Đã xử lý xong',
};

export function isOpen(status: CaseStatus): boolean {
  return status !== 'closed' && status !== 'referred';
}
