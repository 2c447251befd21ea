/** The kinds of step a case's timeline records (sealed entries, written by the case store only). */
export type TimelineKind =
  | 'alerted'
  | 'acknowledged'
  | 're_alerted'
  | 'escalated'
  | 'reminder'
  | 'note'
  | 'status'
  | 'emergency_action'
  | 'referred'
  | 'closed'
  | 'reporter_addition'
  | 'reporter_notified'
  | 'plan_approved'
  | 'reopened'
  | 'follow_up'
  | 'skipped'
  | 'reporter_question'
  | 'reporter_answer'
  | 'reporter_correction'
  | 'handed_back'
  | 'reassigned';

export interface TimelineEntry {
  at: number;
  actor: string;
  kind: TimelineKind;
  text?: string;
}

