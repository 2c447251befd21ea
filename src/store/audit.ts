/**
 * Append-only audit log (a Redis stream). Every write to a report and every view of a case's details
 * leaves an entry: who, what, which case, when. Entries carry no personal data.
 */
import type { Redis, ChainableCommander } from 'ioredis';

export const AUDIT_STREAM = 'audit:log';

export interface AuditEntry {
  actor: string;
  action: string;
  subject: string;
  detail?: string;
}

export type AuditRecord = AuditEntry & { at: number };

function fields(entry: AuditEntry, at: number): string[] {
  return ['at', String(at), 'actor', entry.actor, 'action', entry.action, 'subject', entry.subject, 'detail', entry.detail ?? ''];
}

export class AuditLog {
  constructor(private readonly redis: Redis) {}

  /** Adds the entry to a MULTI that also carries the write it describes, so neither lands alone. */
  addTo(tx: ChainableCommander, entry: AuditEntry, at = Date.now()): void {
    tx.xadd(AUDIT_STREAM, '*', ...fields(entry, at));
  }

  async add(entry: AuditEntry, at = Date.now()): Promise<void> {
    await this.redis.xadd(AUDIT_STREAM, '*', ...fields(entry, at));
  }

  async forSubject(subject: string, count = 1000): Promise<AuditRecord[]> {
    return (await this.newest('+', '-', count)).filter((e) => e.subject === subject).reverse();
  }

  /**
   * Entries added between two instants (stream ids are their time in ms), newest first, at most
   * `count`. Entries carry their own time too, which jobs may set; the stream's order is the truth.
   */
  async between(fromMs: number, toMs: number, count = 1000): Promise<AuditRecord[]> {
    return this.newest(String(Math.floor(toMs)), String(Math.max(0, Math.floor(fromMs))), count);
  }

  private async newest(end: string, start: string, count: number): Promise<AuditRecord[]> {
    const rows = await this.redis.xrevrange(AUDIT_STREAM, end, start, 'COUNT', count);
    return rows.map(([, kv]) => {
      const m = new Map<string, string>();
      for (let i = 0; i < kv.length; i += 2) m.set(kv[i] ?? '', kv[i + 1] ?? '');
      return { at: Number(m.get('at')), actor: m.get('actor') ?? '', action: m.get('action') ?? '', subject: m.get('subject') ?? '', detail: m.get('detail') || undefined };
    });
  }
}
