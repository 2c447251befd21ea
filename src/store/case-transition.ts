/**
 * A case's status change as one Redis script, so two officers acting at the same moment cannot mix their
 * writes (one moves the case on while the other closes it): the script checks the current status against
 * the statuses the domain's table allows, moves the case between the status indexes, makes the
 * timestamps match the new status, counts a reopening, and writes the timeline entry and its audit entry, all or nothing.
 * The entry is sealed in Node; the script only stores the blob. Called by SHA (ioredis defineCommand).
 */
import type { Redis } from 'ioredis';
import { CASE_STATUSES, TRANSITIONS, movesFrom, stampsOf, type CaseStatus } from '../domain/case-status.js';
import { AUDIT_APPEND_LUA, type AuditLog } from './audit.js';
import { reportKey, statusIndex, timelineKey } from './reports.js';

// KEYS: report hash, timeline, audit stream and head, then the commune's status indexes in CASE_STATUSES order.
// ARGV: code, target, allowed "from" statuses, claims ('1' or ''), timestamps to set, timestamps to clear,
// now, actor, sealed entry, audit action, CASE_STATUSES, the audit chain's two pads, then field/value
// pairs the move also sets (a referral's follow-up date). Lists are space separated.
// Returns the outcome, and on a move the status before and the hash after.
const TRANSITION_LUA = `${AUDIT_APPEND_LUA}
local h = KEYS[1]
local code, to, now, actor = ARGV[1], ARGV[2], ARGV[7], ARGV[8]
local current = redis.call('hget', h, 'status')
if not current then return {'not_found'} end
if ARGV[4] == '1' then
  local holder = redis.call('hget', h, 'assignee')
  if holder and holder ~= '' then
    if holder == actor then return {'already_yours'} end
    return {'taken_by_other', holder}
  end
end
local function words(list)
  local out = {}
  for w in string.gmatch(list, '%S+') do out[#out + 1] = w end
  return out
end
local allowed = false
for _, s in ipairs(words(ARGV[3])) do if s == current then allowed = true end end
if not allowed then return {'refused', current} end
local index = {}
for i, s in ipairs(words(ARGV[11])) do index[s] = KEYS[4 + i] end
redis.call('hset', h, 'status', to, 'updatedAt', now)
if current == 'closed' then redis.call('hincrby', h, 'reopenings', 1) end
if ARGV[4] == '1' then redis.call('hset', h, 'assignee', actor) end
for _, f in ipairs(words(ARGV[5])) do redis.call('hsetnx', h, f, now) end
for _, f in ipairs(words(ARGV[6])) do redis.call('hdel', h, f) end
for i = 14, #ARGV - 1, 2 do redis.call('hset', h, ARGV[i], ARGV[i + 1]) end
redis.call('srem', index[current], code)
redis.call('sadd', index[to], code)
redis.call('rpush', KEYS[2], ARGV[9])
audit_append(KEYS[3], KEYS[4], ARGV[12], ARGV[13], now, actor, ARGV[10], code, current .. '->' .. to)
local out = {'moved', current}
for _, v in ipairs(redis.call('hgetall', h)) do out[#out + 1] = v end
return out`;

const COMMAND = 'caseTransition';
type WithTransition = Redis & { [COMMAND](...args: string[]): Promise<string[]> };

export type TransitionOutcome =
  | { result: 'moved'; before: CaseStatus; hash: Record<string, string> }
  | { result: 'refused'; current: CaseStatus }
  | { result: 'already_yours' }
  | { result: 'taken_by_other'; assignee: string }
  | { result: 'not_found' };

export interface TransitionRequest {
  code: string;
  communeId: string;
  to: CaseStatus;
  actor: string;
  now: number;
  sealedEntry: string;
  auditAction: string;
  /** A reopening: allowed only out of `closed` (every other move only out of an open status). */
  reopen?: boolean;
  /** Fields set with the move, present only while the case is in `to` (cleared by every other move). */
  fields?: Record<string, string>;
}

/** Fields a move may carry, cleared by any move to another status. */
export const MOVE_FIELDS = ['followUpAt'] as const;

export async function runTransition(redis: Redis, audit: AuditLog, t: TransitionRequest): Promise<TransitionOutcome> {
  // Registered once per connection; ioredis then calls it by SHA and loads it when Redis lacks it.
  if (!(COMMAND in redis)) redis.defineCommand(COMMAND, { numberOfKeys: 4 + CASE_STATUSES.length, lua: TRANSITION_LUA });
  const { claims } = TRANSITIONS[t.to];
  const from = movesFrom(t.to, t.reopen);
  const { stamp, clear } = stampsOf(t.to);
  const fields = Object.entries(t.fields ?? {});
  const cleared = [...clear, ...MOVE_FIELDS.filter((f) => !fields.some(([k]) => k === f))];
  const [result, ...rest] = await (redis as WithTransition)[COMMAND](
    reportKey(t.code),
    timelineKey(t.code),
    ...audit.scriptKeys,
    ...CASE_STATUSES.map((s) => statusIndex(t.communeId, s)),
    t.code,
    t.to,
    from.join(' '),
    claims ? '1' : '',
    stamp.join(' '),
    cleared.join(' '),
    String(t.now),
    t.actor,
    t.sealedEntry,
    t.auditAction,
    CASE_STATUSES.join(' '),
    ...audit.scriptPads,
    ...fields.flat(),
  );
  if (result === 'moved') {
    const [before, ...flat] = rest;
    const hash: Record<string, string> = {};
    for (let i = 0; i + 1 < flat.length; i += 2) hash[flat[i]!] = flat[i + 1]!;
    return { result, before: before as CaseStatus, hash };
  }
  if (result === 'refused') return { result, current: rest[0] as CaseStatus };
  if (result === 'taken_by_other') return { result, assignee: rest[0] ?? '' };
  return { result: result as 'already_yours' | 'not_found' };
}
