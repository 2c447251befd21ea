/**
 * Append-only, tamper-evident audit log (a Redis stream, hash-chained: audit-chain.ts). Every write to
 * a report, every view of a case's details, every export, report, sign-in and role change leaves an
 * entry: who, what, which case, when. Entries carry no personal data.
 */
import type { ChainableCommander, Redis } from 'ioredis';
import { AUDIT_APPEND_LUA, AUDIT_HEAD, entryMac, hmacPads, MAC_FIELDS } from './audit-chain.js';
import type { DataCipher } from './crypto.js';

export { AUDIT_APPEND_LUA, AUDIT_HEAD } from './audit-chain.js';
export const AUDIT_STREAM = 'audit:log';

export interface AuditEntry {
  actor: string;
  action: string;
  subject: string;
  detail?: string;
}

export type AuditRecord = AuditEntry & { at: number; id: string };

/** What `list` keeps; dates are instants (ms), both ends included. */
export interface AuditFilter {
  subject?: string;
  actor?: string;
  from?: number;
  to?: number;
}

/** The outcome of `verify`: the chain intact up to its head, or the first entry that breaks it. */
export type ChainReport =
  | { ok: true; entries: number; unchained: number; head?: string }
  | { ok: false; entries: number; broken: { id: string; seq?: number; reason: string } };

const COMMAND = 'auditAppend';
const APPEND = `${AUDIT_APPEND_LUA}
return audit_append(KEYS[1], KEYS[2], ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6], ARGV[7])`;
type Appender = { [COMMAND](...args: string[]): unknown };
const PAGE = 500;

function fieldsOf(kv: string[]): Map<string, string> {
  const m = new Map<string, string>();
  for (let i = 0; i < kv.length; i += 2) m.set(kv[i] ?? '', kv[i + 1] ?? '');
  return m;
}

function record(id: string, m: Map<string, string>): AuditRecord {
  return {
    id,
    at: Number(m.get('at')),
    actor: m.get('actor') ?? '',
    action: m.get('action') ?? '',
    subject: m.get('subject') ?? '',
    detail: m.get('detail') || undefined,
  };
}

export class AuditLog {
  private readonly key: Buffer;
  private readonly pads: [string, string];

  /** The chain's key comes from the cipher's index key (stable across DATA_KEY rotations). */
  constructor(
    private readonly redis: Redis,
    cipher: Pick<DataCipher, 'subKey'>,
  ) {
    this.key = cipher.subKey('treem:audit-chain');
    const { ipad, opad } = hmacPads(this.key);
    this.pads = [ipad, opad];
    // Registered once per connection; ioredis then calls it by SHA, in MULTIs too.
    if (!(COMMAND in redis)) redis.defineCommand(COMMAND, { numberOfKeys: 2, lua: APPEND });
  }

  /** The keys and arguments a script that embeds AUDIT_APPEND_LUA passes to audit_append. */
  get scriptKeys(): [string, string] {
    return [AUDIT_STREAM, AUDIT_HEAD];
  }

  get scriptPads(): [string, string] {
    return this.pads;
  }

  private args(entry: AuditEntry, at: number): string[] {
    return [AUDIT_STREAM, AUDIT_HEAD, ...this.pads, String(at), entry.actor, entry.action, entry.subject, entry.detail ?? ''];
  }

  /** Adds the entry to a MULTI that also carries the write it describes, so neither lands alone. */
  addTo(tx: ChainableCommander, entry: AuditEntry, at = Date.now()): void {
    (tx as unknown as Appender)[COMMAND](...this.args(entry, at));
  }

  async add(entry: AuditEntry, at = Date.now()): Promise<void> {
    await (this.redis as unknown as Appender)[COMMAND](...this.args(entry, at));
  }

  async forSubject(subject: string, count = 1000): Promise<AuditRecord[]> {
    return (await this.list({ subject }, count)).reverse();
  }

  /**
   * Entries added between two instants (stream ids are their time in ms), newest first, at most
   * `count`. Entries carry their own time too, which jobs may set; the stream's order is the truth.
   */
  async between(fromMs: number, toMs: number, count = 1000): Promise<AuditRecord[]> {
    return this.list({ from: fromMs, to: toMs }, count);
  }

  /** Entries matching every filter given, newest first, at most `count`. */
  async list(filter: AuditFilter, count = 1000): Promise<AuditRecord[]> {
    const out: AuditRecord[] = [];
    const start = String(Math.max(0, Math.floor(filter.from ?? 0)));
    let end = filter.to === undefined ? '+' : String(Math.floor(filter.to));
    for (;;) {
      const rows = await this.redis.xrevrange(AUDIT_STREAM, end, start, 'COUNT', PAGE);
      for (const [id, kv] of rows) {
        const e = record(id, fieldsOf(kv));
        if ((filter.subject && e.subject !== filter.subject) || (filter.actor && e.actor !== filter.actor)) continue;
        out.push(e);
        if (out.length >= count) return out;
      }
      if (rows.length < PAGE) return out;
      end = `(${rows[rows.length - 1]![0]}`;
    }
  }

  /** Walks the whole chain, oldest first: intact up to the head, or the first entry that breaks it. */
  async verify(): Promise<ChainReport> {
    let entries = 0;
    let unchained = 0;
    let last: { seq: number; mac: string; id: string } | undefined;
    let start = '-';
    const broken = (id: string, reason: string, seq?: number): ChainReport => ({ ok: false, entries, broken: { id, seq, reason } });
    for (;;) {
      const rows = await this.redis.xrange(AUDIT_STREAM, start, '+', 'COUNT', PAGE);
      for (const [id, kv] of rows) {
        entries++;
        const m = fieldsOf(kv);
        const mac = m.get('mac');
        const prev = m.get('prev') ?? '';
        if (mac === undefined) {
          // Entries written before the chain existed: counted, not provable.
          if (!last) {
            unchained++;
            continue;
          }
          return broken(id, 'an entry without a MAC after the chain began (added by hand)');
        }
        const seq = Number(m.get('seq'));
        const expected = (last?.seq ?? 0) + 1;
        if (seq !== expected) {
          return broken(id, seq > expected ? `entries ${expected}..${seq - 1} are missing before it (deleted)` : `its number ${seq} repeats or goes back (expected ${expected})`, seq);
        }
        if (prev !== (last?.mac ?? '')) return broken(id, 'it does not follow the entry before it', seq);
        const values = MAC_FIELDS.map((f) => m.get(f) ?? '');
        if (entryMac(this.key, m.get('seq') ?? '', prev, id, values) !== mac) return broken(id, 'it was changed, moved or forged (its MAC does not match)', seq);
        last = { seq, mac, id };
      }
      if (rows.length < PAGE) break;
      start = `(${rows[rows.length - 1]![0]}`;
    }
    const head = await this.redis.get(AUDIT_HEAD);
    const current = last ? `${last.seq} ${last.mac}` : undefined;
    if ((head ?? undefined) !== current) {
      const headSeq = head ? Number(head.split(' ')[0]) : 0;
      const reason =
        headSeq > (last?.seq ?? 0)
          ? `the newest entries ${(last?.seq ?? 0) + 1}..${headSeq} are missing (deleted)`
          : `the chain's head (${head ?? 'none'}) does not match its newest entry`;
      return broken(last?.id ?? '-', reason, last?.seq);
    }
    return { ok: true, entries, unchained, head: current };
  }
}
