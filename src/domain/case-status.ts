/**
 * Case lifecycle, the one table of its transitions, and the coarse status a reporter is allowed to see
 * (docs/case-lifecycle.md). The store's atomic transition and the officers' answers both read the table.
 */
export const CASE_STATUSES = ['new', 'acknowledged', 'assessing', 'plan_approved', 'intervening', 'referred', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export const STATUS_LABEL: Record<CaseStatus, string> = {
  new: 'Mới',
  acknowledged: 'Đã tiếp nhận',
  assessing: 'Đang xác minh, đánh giá',
  plan_approved: 'Kế hoạch hỗ trợ đã được duyệt',
  intervening: 'Đang hỗ trợ, can thiệp',
  referred: 'Đã chuyển cơ quan khác, đang theo dõi',
  closed: 'Đã đóng',
};

export type CoarseStatus = 'received' | 'in_progress' | 'referred' | 'done';

export function coarseStatus(status: CaseStatus): CoarseStatus {
  if (status === 'new') return 'received';
  if (status === 'referred') return 'referred';
  if (status === 'closed') return 'done';
  return 'in_progress';
}

export const COARSE_LABEL: Record<CoarseStatus, string> = {
  received: 'Đã nhận',
  in_progress: 'Đang xử lý',
  referred: 'Đã chuyển cơ quan chức năng',
  done: 'Đã xử lý xong',
};

/** Only a closed case is over: a referred one is still followed until it is closed. */
export function isOpen(status: CaseStatus): boolean {
  return status !== 'closed';
}

/** Statuses a case is in while someone holds it and works on it. */
const WORKING: readonly CaseStatus[] = ['acknowledged', 'assessing', 'plan_approved', 'intervening'];

interface Transition {
  /** The statuses a case may enter this one from. A move out of `closed` is a reopening. */
  from: readonly CaseStatus[];
  /** Entering it makes the actor the case's holder, and only a case nobody holds can be entered. */
  claims?: true;
}

/**
 * Moving a case is named by the status it moves to: one step forward; a referral from any working step
 * (the case stays open and is followed up); closing from any step once someone holds it; reopening a
 * closed case back to assessment (with a reason). The plan step is the chair's approval of the support
 * plan, which is what the 5-working-day clock waits for.
 */
export const TRANSITIONS: Record<CaseStatus, Transition> = {
  new: { from: [] },
  acknowledged: { from: ['new'], claims: true },
  assessing: { from: ['acknowledged', 'closed'] },
  plan_approved: { from: ['assessing'] },
  intervening: { from: ['plan_approved'] },
  referred: { from: WORKING },
  closed: { from: [...WORKING, 'referred'] },
};

/** The statuses a move to `to` may start from: reopenings (out of `closed`) only when asked for. */
export function movesFrom(to: CaseStatus, reopen = false): CaseStatus[] {
  return TRANSITIONS[to].from.filter((s) => (reopen ? s === 'closed' : isOpen(s)));
}

export function canMove(from: CaseStatus, to: CaseStatus): boolean {
  return movesFrom(to).includes(from);
}

/** The statuses a closed case may be reopened to. */
export function canReopen(to: CaseStatus): boolean {
  return movesFrom(to, true).length > 0;
}

/** The working step after `status` (acknowledged → assessing), if there is one. */
export function nextStep(status: CaseStatus): CaseStatus | undefined {
  return WORKING.find((s) => canMove(status, s));
}

/** Timestamps a case carries exactly while it is in these statuses; the legal clocks read them. */
export const STATUS_STAMPS = {
  ackAt: ['acknowledged', 'assessing', 'plan_approved', 'intervening', 'referred', 'closed'],
  planApprovedAt: ['plan_approved', 'intervening'],
  referredAt: ['referred'],
  closedAt: ['closed'],
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
