/**
 * One person's conversation turn as Redis sees it (docs/turns.md): `begin` claims the update, takes the
 * person's lock and reads the state in one script; `commit` writes the new state, the sealed replies
 * and the update's "seen" mark in one script; `confirm` records each reply part as sent and frees the
 * lock after the last one. Replies that could not go directly are handed to the outbox, which drains
 * the same list (`drain*`), so a person's replies always leave in the order they were produced.
 */
import type { Redis } from 'ioredis';
import type { Choice, OutgoingMessage } from '../messaging/message.js';
import { BoundedMap } from '../bounded-map.js';
import { sendLazily } from './connections.js';
import { SealError, type DataCipher } from './crypto.js';
import { keysOfTag, personKeys, type PersonKeys } from './person-keys.js';
import { OFFERED_TTL_SECONDS, type Session } from './sessions.js';
import { LuaScript } from './lua.js';
import { TURN_SCRIPTS, type TurnScriptName } from './turn-scripts.js';

/** Replies of one committed turn not yet all confirmed sent. */
export interface ReplyEntry {
  /** The update that produced them. */
  id: string;
  parts: OutgoingMessage[];
  /** How many parts went out already. */
  sent: number;
}

/** What the conversation looked like when the turn began, as read (JSON kept to see what changed). */
export interface TurnState {
  session?: Session;
  offered: Choice[];
  sessionJson?: string;
  offeredJson?: string;
  /** The session's value as Redis holds it (sealed). */
  sealed?: string;
  /** The stored draft did not open: the turn runs without it, and its commit deletes it. */
  lostDraft?: boolean;
}

/** What stands for an unreadable draft's JSON: it differs from any real one, so the commit deletes or replaces it. */
const UNREADABLE = '\u0000unreadable';

/** People whose last committed state `TurnStore` keeps (a draft in the clear, ~1 KB each). */
const DRAFTS_KEPT = 1024;

/** Sent in place of a committed reply that no longer opens, so the person's reply list can move on. */
const UNREADABLE_REPLY: OutgoingMessage = { text: 'Xin lỗi, một tin trả lời trước đó không gửi được. Bạn nhắn lại giúp mình nhé.' };

export type BeginResult =
  | { kind: 'busy'; holder: string }
  | { kind: 'done'; pump?: string }
  | { kind: 'resend'; pending: ReplyEntry[] }
  | { kind: 'new'; pump?: string; state: TurnState; pending: ReplyEntry[] };

export type CommitResult = { kind: 'lost' } | { kind: 'idle' } | { kind: 'send' } | { kind: 'queued'; pump: string };

/** What a turn committed: the state it ran on (`before`), what it left, and the replies it produced. */
export interface TurnWrite {
  updateId: string;
  now: number;
  before: TurnState;
  session?: Session;
  offered: Choice[];
  parts: OutgoingMessage[];
}

export interface TurnStoreOptions {
  /** Draft lifetime (the session key's TTL). */
  sessionTtlSeconds: number;
  /** Update ids remembered per person (default 32) and for how long after their last turn (default 2 days). */
  seenMax?: number;
  seenWindowMs?: number;
  /** Safety lease of the person lock, renewed by each confirmation; a dead owner is found by liveness first (default 60 s). */
  leaseMs?: number;
}

const SCRIPTS = Object.fromEntries(Object.entries(TURN_SCRIPTS).map(([name, def]) => [name, new LuaScript(def)])) as Record<TurnScriptName, LuaScript>;

export class TurnStore {
  private readonly seenMax: number;
  private readonly seenWindowMs: number;
  private readonly leaseMs: number;

  constructor(
    private readonly r: Redis,
    private readonly cipher: DataCipher,
    private readonly opts: TurnStoreOptions,
  ) {
    this.seenMax = opts.seenMax ?? 32;
    this.seenWindowMs = opts.seenWindowMs ?? 2 * 24 * 3600_000;
    this.leaseMs = opts.leaseMs ?? 60_000;
  }

  /** Whether the connection is up (false while it reconnects: commands queue until Redis is back). */
  reachable(): boolean {
    return this.r.status === 'ready';
  }

  /** The keys of one person: every step of theirs names the same eight, built once (bounded like the drafts). */
  keys(identity: string): PersonKeys {
    return this.people.getOr(identity, (id) => personKeys(this.cipher, id));
  }

  private readonly people = new BoundedMap<string, PersonKeys>(DRAFTS_KEPT);

  /** Claims `updateId` for `owner`; `takeover` names a holder found dead, whose lock may be taken. */
  async begin(k: PersonKeys, updateId: string, owner: string, takeover = ''): Promise<BeginResult> {
    const out = (await SCRIPTS.turnBegin.call(this.r, k.lock, k.session, k.offered, k.seen, k.replies, k.pump, updateId, owner, this.leaseMs, takeover)) as Array<string | null>;
    const [kind, second, session, offered, ...entries] = out;
    if (kind === 'busy') return { kind, holder: second ?? '' };
    if (kind === 'done') return second ? { kind, pump: second } : { kind };
    const pending = entries.map((e) => this.openEntry(k, e ?? ''));
    if (kind === 'resend') return { kind, pending };
    const sessionJson = session ? this.openDraft(k, session) : undefined;
    const lostDraft = sessionJson === UNREADABLE;
    const state: TurnState = {
      session: sessionJson && !lostDraft ? (JSON.parse(sessionJson) as Session) : undefined,
      offered: offered ? (JSON.parse(offered) as Choice[]) : [],
      sessionJson,
      offeredJson: offered ?? undefined,
      sealed: session ?? undefined,
      ...(lostDraft ? { lostDraft } : {}),
    };
    return second ? { kind: 'new', pump: second, state, pending } : { kind: 'new', state, pending };
  }

  /** Writes the turn's outcome; the session is sealed only when it changed. */
  async commit(k: PersonKeys, owner: string, turn: TurnWrite): Promise<CommitResult> {
    const [kind, pump] = await this.write('turnCommit', k, owner, turn);
    if (kind === 'queued') return { kind, pump: pump ?? '' };
    return { kind: kind as 'lost' | 'idle' | 'send' };
  }

  /**
   * The state this process committed last for the person, to run their next turn on before asking Redis
   * (`tryCommit` checks it is still the state there); undefined when it has none.
   */
  lastState(k: PersonKeys): TurnState | undefined {
    const last = this.last.get(k.session);
    if (!last) return undefined;
    return {
      session: last.json === undefined ? undefined : (JSON.parse(last.json) as Session),
      offered: last.offeredJson === undefined ? [] : (JSON.parse(last.offeredJson) as Choice[]),
      sessionJson: last.json,
      offeredJson: last.offeredJson,
      sealed: last.sealed,
    };
  }

  /**
   * Begin and commit in one script, for a turn run on `turn.before` from `lastState`: written only if
   * the update is new, no turn of the person is running or unsent, and Redis still holds that state
   * (the sealed session's nonce and tag, the offered choices). 'stale': nothing written.
   */
  async tryCommit(k: PersonKeys, owner: string, turn: TurnWrite): Promise<{ kind: 'stale' | 'idle' | 'send' }> {
    const { sealed, offeredJson } = turn.before;
    // Every seal has a fresh nonce, and the tag authenticates the rest: the head up to it names the value.
    const head = sealed === undefined ? '' : sealed.slice(0, sealed.lastIndexOf('.') + 1);
    const [kind] = await this.write('turnTry', k, owner, turn, head, offeredJson ?? '');
    return { kind: kind as 'stale' | 'idle' | 'send' };
  }

  private async write(script: 'turnCommit' | 'turnTry', k: PersonKeys, owner: string, turn: TurnWrite, ...expected: string[]): Promise<string[]> {
    const json = turn.session ? JSON.stringify(turn.session) : undefined;
    const { before } = turn;
    const sessionOp = json === undefined ? (before.sessionJson === undefined ? 'none' : 'del') : json === before.sessionJson ? 'touch' : 'set';
    const offeredJson = turn.offered.length ? JSON.stringify(turn.offered) : undefined;
    const offeredOp = offeredJson === before.offeredJson ? 'keep' : offeredJson === undefined ? 'del' : 'set';
    const entry = turn.parts.length ? this.sealEntry(k, { id: turn.updateId, parts: turn.parts, sent: 0 }) : '';
    const sealed = sessionOp === 'set' ? this.cipher.sealText(json as string, k.session) : '';
    const out = (await SCRIPTS[script].call(
      this.r,
      k.lock, k.session, k.offered, k.seen, k.replies, k.pump,
      owner, turn.updateId, turn.now,
      sessionOp, sealed, Math.ceil(this.opts.sessionTtlSeconds),
      offeredOp, offeredJson ?? '', OFFERED_TTL_SECONDS,
      entry, this.seenMax, this.seenWindowMs, this.leaseMs,
      ...expected,
    )) as string[];
    const kind = out[0];
    if (kind === 'lost') this.last.delete(k.session);
    else if (kind !== 'stale') {
      const kept = sessionOp === 'set' ? { sealed, json } : sessionOp === 'touch' ? { sealed: before.sealed, json } : {};
      this.last.set(k.session, { ...kept, offeredJson: offeredOp === 'keep' ? before.offeredJson : offeredJson });
    }
    return out;
  }

  /**
   * `sent` parts of the entry went out. Negative when the lock is not ours or the entry is not the head.
   * `last`: the last part the owner holds, whose confirmation frees the lock; nobody waits for it, so its
   * write may join the connection's next commands.
   */
  async confirm(k: PersonKeys, owner: string, entryId: string, sent: number, last = false): Promise<number> {
    const issue = () => SCRIPTS.turnConfirm.call(this.r, k.lock, k.replies, owner, entryId, sent, this.leaseMs, last ? '1' : '0');
    return Number(await (last ? sendLazily(this.r, issue) : issue()));
  }

  async release(k: PersonKeys, owner: string): Promise<void> {
    await SCRIPTS.turnRelease.call(this.r, k.lock, owner);
  }

  /** Makes the outbox drain (epoch) the sender of the person's unsent replies; false when the lock is not ours. */
  async handover(k: PersonKeys, owner: string, epoch: string): Promise<boolean> {
    return Number(await SCRIPTS.turnHandover.call(this.r, k.lock, k.pump, owner, epoch)) === 1;
  }

  /** The drain's next entry; 'empty' also ends the drain (later replies go directly again). */
  async drainPeek(tag: string, epoch: string): Promise<'stale' | 'empty' | ReplyEntry> {
    const k = keysOfTag(tag);
    const [kind, head] = (await SCRIPTS.drainPeek.call(this.r, k.pump, k.replies, epoch)) as string[];
    if (kind === 'head') return this.openEntry(k, head ?? '');
    return kind as 'stale' | 'empty';
  }

  async drainConfirm(tag: string, epoch: string, entryId: string, sent: number): Promise<number> {
    const k = keysOfTag(tag);
    return Number(await SCRIPTS.drainConfirm.call(this.r, k.pump, k.replies, epoch, entryId, sent));
  }

  /** The drain gave up for good: its replies are dropped (they were dead-lettered). Returns how many. */
  async drainAbandon(tag: string, epoch: string): Promise<number> {
    const k = keysOfTag(tag);
    return Number(await SCRIPTS.drainAbandon.call(this.r, k.pump, k.replies, epoch));
  }

  private sealEntry(k: PersonKeys, e: ReplyEntry): string {
    return `${e.id}\n${e.parts.length}\n${e.sent}\n${this.cipher.seal(e.parts, k.replies)}`;
  }

  /**
   * The state this process committed last, by session key: the person's next turn runs on it at once
   * (`lastState`, one round trip per step instead of two, issue 15), and a begin that finds the very
   * value it sealed reuses its text instead of opening it again. Redis holds only the sealed value; a
   * value written by anyone else differs (every seal has a fresh nonce) and is opened as usual, and a
   * turn run on a state that is not Redis's any more is not written.
   */
  private readonly last = new BoundedMap<string, { sealed?: string; json?: string; offeredJson?: string }>(DRAFTS_KEPT);

  /** A draft that does not open (wrong or lost key) must not stop the person: /huy and /start still work. */
  private openDraft(k: PersonKeys, sealed: string): string {
    const mine = this.last.get(k.session);
    if (mine?.sealed === sealed && mine.json !== undefined) return mine.json;
    try {
      return this.cipher.openText(sealed, k.session);
    } catch (err) {
      if (err instanceof SealError) return UNREADABLE;
      throw err;
    }
  }

  private openEntry(k: PersonKeys, raw: string): ReplyEntry {
    const [id = '', count = '1', sent = '0', sealed = ''] = raw.split('\n', 4);
    try {
      return { id, sent: Number(sent), parts: this.cipher.open<OutgoingMessage[]>(sealed, k.replies) };
    } catch (err) {
      if (!(err instanceof SealError)) throw err;
      // Only the last part is left to send: one apology, whose confirmation removes the entry.
      const n = Math.max(1, Number(count));
      return { id, sent: n - 1, parts: Array.from({ length: n }, () => UNREADABLE_REPLY) };
    }
  }
}
