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

  async forSubject(subject: string, count = 1000): Promise<Array<AuditEntry & { at: number }>> {
    const rows = await this.redis.xrevrange(AUDIT_STREAM, '+', '-', 'COUNT', count);
    const out: Array<AuditEntry & { at: number }> = [];
    for (const [, kv] of rows) {
      const m = new Map<string, string>();
      for (let i = 0; i < kv.length; i += 2) m.set(kv[i] ?? '', kv[i + 1] ?? '');
      if (m.get('subject') !== subject) continue;
      out.push({ at: Number(m.get('at')), actor: m.get('actor') ?? '', action: m.get('action') ?? '', subject, detail: m.get('detail') || undefined });
    }
    return out.reverse();
  }
}
