/**
 * Case lifecycle, the one table of its transitions, and the coarse status a reporter is allowed to see
 * (docs/case-lifecycle.md). The store's atomic transition and the officers' answers both read the table.
 */
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

/** Statuses a case is in while someone holds it and it is still open. */
const HELD: readonly CaseStatus[] = ['acknowledged', 'assessing', 'intervening'];

interface Transition {
  /** The statuses a case may enter this one from. */
  from: readonly CaseStatus[];
  /** Entering it makes the actor the case's holder, and only a case nobody holds can be entered. */
  claims?: true;
}

/**
 * Moving a case is named by the status it moves to: one step forward, or an ending (closed, referred)
 * from any step once someone holds it. No jumps and no way back.
 */
export const TRANSITIONS: Record<CaseStatus, Transition> = {
  new: { from: [] },
  acknowledged: { from: ['new'], claims: true },
  assessing: { from: ['acknowledged'] },
  intervening: { from: ['assessing'] },
  closed: { from: HELD },
  referred: { from: HELD },
};

export function canMove(from: CaseStatus, to: CaseStatus): boolean {
  return TRANSITIONS[to].from.includes(from);
}

/** The step after `status` that keeps the case open (acknowledged → assessing), if there is one. */
export function nextStep(status: CaseStatus): CaseStatus | undefined {
  return CASE_STATUSES.find((s) => isOpen(s) && canMove(status, s));
}

/** Timestamps a case carries exactly while it is in these statuses; the legal clocks read them. */
export const STATUS_STAMPS = {
  ackAt: ['acknowledged', 'assessing', 'intervening', 'closed', 'referred'],
  closedAt: ['closed', 'referred'],
} as const satisfies Record<string, readonly CaseStatus[]>;

export type StatusStamp = keyof typeof STATUS_STAMPS;
const STAMP_NAMES = Object.keys(STATUS_STAMPS) as StatusStamp[];

/**
 * What entering `status` does to the timestamps: `stamp` the ones it needs (an earlier time is kept:
 * ackAt stays the moment of acknowledgement), `clear` the ones it must not carry.
 */
export function stampsOf(status: CaseStatus): { stamp: StatusStamp[]; clear: StatusStamp[] } {
  const held = (f: StatusStamp) => (STATUS_STAMPS[f] as readonly CaseStatus[]).includes(status);
  return { stamp: STAMP_NAMES.filter(held), clear: STAMP_NAMES.filter((f) => !held(f)) };
}
