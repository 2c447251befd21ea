import type { ScriptDef } from './lua.js';

/**
 * The turn protocol's Redis scripts (docs/turns.md), each touching one person's keys only (one Cluster
 * slot) and called by SHA (lua.ts). Reply entries in the list are
 * `<update id>\n<parts>\n<parts sent>\n<sealed parts>`: the scripts read the first three fields and never
 * the sealed text.
 */

/**
 * Records `sent` parts of the head entry as sent; drops the entry once all went. Returns 1, or -2 on a
 * head that is not `id`. The head is popped first and pushed back only when it stays (some parts left,
 * or not ours): the usual case, the last part of a turn's entry, is one command less than reading it
 * first.
 */
const ADVANCE = `
local function advance(list, id, sent)
  local head = redis.call('LPOP', list)
  if not head then return -2 end
  local a = string.find(head, '\\n', 1, true)
  local b = string.find(head, '\\n', a + 1, true)
  local c = string.find(head, '\\n', b + 1, true)
  if string.sub(head, 1, a - 1) ~= id then
    redis.call('LPUSH', list, head)
    return -2
  end
  if sent < tonumber(string.sub(head, a + 1, b - 1)) then
    redis.call('LPUSH', list, string.sub(head, 1, b) .. sent .. string.sub(head, c))
  end
  return 1
end
`;

/**
 * A turn's writes (turnCommit and turnTry; KEYS and ARGV as turnCommit): the session and offered
 * choices by their ops, the update id into the capped seen set (scored by time: the person's last
 * activity too), the reply entry appended.
 * Returns the entries the reply list holds after it.
 */
const WRITE_TURN = `
local function write_turn()
  local op = ARGV[4]
  if op == 'set' then redis.call('SET', KEYS[2], ARGV[5], 'EX', ARGV[6])
  elseif op == 'touch' then redis.call('EXPIRE', KEYS[2], ARGV[6])
  elseif op == 'del' then redis.call('DEL', KEYS[2]) end
  if ARGV[7] == 'set' then redis.call('SET', KEYS[3], ARGV[8], 'EX', ARGV[9])
  elseif ARGV[7] == 'del' then redis.call('DEL', KEYS[3]) end
  redis.call('ZADD', KEYS[4], ARGV[3], ARGV[2])
  redis.call('ZREMRANGEBYRANK', KEYS[4], 0, -(tonumber(ARGV[11]) + 1))
  redis.call('PEXPIRE', KEYS[4], ARGV[12])
  if ARGV[10] ~= '' then return redis.call('RPUSH', KEYS[5], ARGV[10]) end
  return redis.call('LLEN', KEYS[5])
end
`;

const appendList = `local function append(out, list) for _, e in ipairs(redis.call('LRANGE', list, 0, -1)) do out[#out + 1] = e end return out end`;


export const TURN_SCRIPTS = {
  /**
   * KEYS lock, session, offered, seen, replies, pump. ARGV update id, owner, lease ms, owner to take over ('').
   * done: committed already and nothing to resend here. resend: committed, replies left (lock taken).
   * busy: another owner holds the lock. new: lock taken; pump, session, offered, then unsent entries.
   */
  turnBegin: {
    numberOfKeys: 6,
    lua: `${appendList}
local state = redis.call('MGET', KEYS[1], KEYS[6], KEYS[2], KEYS[3])
local held, pump = state[1], state[2]
if held == ARGV[4] then held = false end
if redis.call('ZSCORE', KEYS[4], ARGV[1]) then
  if pump or redis.call('LLEN', KEYS[5]) == 0 then return {'done', pump} end
  if held then return {'busy', held} end
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
  return append({'resend', false, false, false}, KEYS[5])
end
if held then return {'busy', held} end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
local out = {'new', pump, state[3], state[4]}
if pump then return out end
return append(out, KEYS[5])`,
  },
  /**
   * KEYS lock, session, offered, seen, replies, pump. ARGV owner, update id, now ms, session op
   * (none|touch|set|del), sealed session, session ttl s, offered op (keep|set|del), offered, offered ttl s,
   * reply entry (''), seen cap, seen window ms, lease ms.
   * lost: the lock is not ours (nothing written). idle: no replies, lock released. send: the caller sends
   * the list, lock kept. queued: the outbox drains the list (its epoch returned), lock released.
   */
  turnCommit: {
    numberOfKeys: 6,
    lua: `${WRITE_TURN}
local state = redis.call('MGET', KEYS[1], KEYS[6])
if state[1] ~= ARGV[1] then return {'lost'} end
local unsent = write_turn()
if state[2] then
  redis.call('DEL', KEYS[1])
  return {'queued', state[2]}
end
if unsent == 0 then
  redis.call('DEL', KEYS[1])
  return {'idle'}
end
redis.call('PEXPIRE', KEYS[1], ARGV[13])
return {'send'}`,
  },
  /**
   * begin and commit in one, for a turn run on the state this process committed last (docs/turns.md,
   * "One round trip"). KEYS and ARGV 1–13 as turnCommit; ARGV 14 the sealed session's head up to its
   * tag ('' for none), ARGV 15 the offered choices' JSON ('' for none): the state the turn ran on.
   * stale: the update was seen, a turn is running or its replies are unsent, a drain is on, or the state
   * is not that one (nothing written; the caller begins as usual). Else as turnCommit: idle, or send
   * with the lock taken for the sends.
   */
  turnTry: {
    numberOfKeys: 6,
    lua: `${WRITE_TURN}
local state = redis.call('MGET', KEYS[1], KEYS[6], KEYS[2], KEYS[3])
if state[1] or state[2] or redis.call('ZSCORE', KEYS[4], ARGV[2]) or redis.call('LLEN', KEYS[5]) > 0 then return {'stale'} end
local head = ARGV[14]
if head == '' then
  if state[3] then return {'stale'} end
elseif not state[3] or string.sub(state[3], 1, #head) ~= head then return {'stale'} end
if (state[4] or '') ~= ARGV[15] then return {'stale'} end
if write_turn() == 0 then return {'idle'} end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[13])
return {'send'}`,
  },
  /**
   * KEYS lock, replies. ARGV owner, entry id, parts sent, lease ms, '1' when it is the last part the
   * owner holds. 0 (the lock released) or 1 (its lease renewed); -1 when the lock is not ours, -2 when
   * the head entry is not that one. The owner knows its last part: while it holds the lock nobody else
   * appends. Were it wrong, the entries left would only wait for the person's next turn, which sends
   * them first (begin returns them; turnTry refuses a list that is not empty).
   */
  turnConfirm: {
    numberOfKeys: 2,
    lua: `${ADVANCE}
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return -1 end
if advance(KEYS[2], ARGV[2], tonumber(ARGV[3])) < 0 then return -2 end
if ARGV[5] == '1' then
  redis.call('DEL', KEYS[1])
  return 0
end
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return 1`,
  },
  /** KEYS lock. ARGV owner. Frees the lock if it is still ours (a handler failed: nothing was written). */
  turnRelease: {
    numberOfKeys: 1,
    lua: `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`,
  },
  /** KEYS lock, pump. ARGV owner, epoch. Hands the unsent replies to the outbox's drain: 1, or 0 when the lock is not ours. */
  turnHandover: {
    numberOfKeys: 2,
    lua: `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[2], ARGV[2])
redis.call('DEL', KEYS[1])
return 1`,
  },
  /** KEYS pump, replies. ARGV epoch. stale (not this drain's), empty (pump released), or head + the entry. */
  drainPeek: {
    numberOfKeys: 2,
    lua: `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return {'stale'} end
local head = redis.call('LINDEX', KEYS[2], 0)
if not head then
  redis.call('DEL', KEYS[1])
  return {'empty'}
end
return {'head', head}`,
  },
  /** KEYS pump, replies. ARGV epoch, entry id, parts sent. 1, or -1 when stale, -2 when the head entry is not that one. */
  drainConfirm: {
    numberOfKeys: 2,
    lua: `${ADVANCE}
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return -1 end
return advance(KEYS[2], ARGV[2], tonumber(ARGV[3]))`,
  },
  /** KEYS pump, replies. ARGV epoch. Drops every unsent reply (they were dead-lettered) and the pump. */
  drainAbandon: {
    numberOfKeys: 2,
    lua: `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
local n = redis.call('LLEN', KEYS[2])
redis.call('DEL', KEYS[1], KEYS[2])
return n`,
  },
} satisfies Record<string, ScriptDef>;

export type TurnScriptName = keyof typeof TURN_SCRIPTS;
