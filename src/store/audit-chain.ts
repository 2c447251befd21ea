/**
 * The audit log's hash chain. Each entry carries its number (`seq`), the previous entry's MAC (`prev`)
 * and its own MAC (`mac`): HMAC-SHA1 under the audit key over the number, the previous MAC, the stream
 * id and every field. Deleting, editing, reordering or back-dating an entry breaks the chain at that
 * point; forging one needs the key, which never reaches Redis at rest.
 *
 * The chain is extended inside Redis, in the same script or MULTI as the write an entry describes, so
 * two writers can never both chain onto one entry. Redis's Lua has SHA-1 only, hence HMAC-SHA1 (sound
 * as a MAC); the key's two HMAC pads are script arguments, which Redis 7 does not write to the AOF (it
 * replicates a script's effects, not the script).
 */
import { createHmac } from 'node:crypto';

/** The chain's head, `<seq> <mac>`: kept apart so deleting the newest entries shows as a gap. */
export const AUDIT_HEAD = 'audit:head';

/**
 * Defines `audit_append(stream, head, ipad, opad, at, actor, action, subject, detail)` for a script.
 * The stream id is chosen here (Redis's clock, after the stream's last id) so the MAC can cover it.
 */
export const AUDIT_APPEND_LUA = `
local function audit_bin(h) return (string.gsub(h, '..', function(c) return string.char(tonumber(c, 16)) end)) end
local function audit_append(stream, head, ipad, opad, ...)
  local seq, prev = 0, ''
  local h = redis.call('get', head)
  if h then
    local s, p = string.match(h, '^(%d+) (%x+)$')
    seq, prev = tonumber(s), p
  end
  seq = seq + 1
  local t = redis.call('time')
  local ms = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  local id = string.format('%d-0', ms)
  -- After the stream's last id, not its newest entry's: entries cut with XDEL leave it higher.
  if redis.call('exists', stream) == 1 then
    local info, last = redis.call('xinfo', 'stream', stream)
    for i = 1, #info, 2 do if info[i] == 'last-generated-id' then last = info[i + 1] end end
    local lms, lseq = string.match(last, '^(%d+)-(%d+)$')
    if tonumber(lms) >= ms then id = lms .. '-' .. string.format('%d', tonumber(lseq) + 1) end
  end
  local parts = {string.format('%d', seq), prev, id, ...}
  local msg = ''
  for _, v in ipairs(parts) do msg = msg .. string.len(v) .. ':' .. v end
  local mac = redis.sha1hex(audit_bin(opad) .. audit_bin(redis.sha1hex(audit_bin(ipad) .. msg)))
  local at, actor, action, subject, detail = ...
  redis.call('xadd', stream, id, 'at', at, 'actor', actor, 'action', action, 'subject', subject, 'detail', detail, 'seq', parts[1], 'prev', prev, 'mac', mac)
  redis.call('set', head, parts[1] .. ' ' .. mac)
  return id
end
`;

/** The fields an entry's MAC covers, in order, after its number, the previous MAC and its id. */
export const MAC_FIELDS = ['at', 'actor', 'action', 'subject', 'detail'] as const;

/** The audit key's HMAC pads (hex), as the script takes them. */
export function hmacPads(key: Buffer): { ipad: string; opad: string } {
  // HMAC's own construction (RFC 2104) for a key of at most one block: pad it to 64 bytes, XOR.
  if (key.length > 64) throw new Error('audit key longer than one SHA-1 block');
  const block = Buffer.concat([key, Buffer.alloc(64 - key.length)]);
  const xor = (b: number) => Buffer.from(block.map((x) => x ^ b)).toString('hex');
  return { ipad: xor(0x36), opad: xor(0x5c) };
}

/** The MAC the script computes, recomputed in Node (verification). */
export function entryMac(key: Buffer, seq: string, prev: string, id: string, values: readonly string[]): string {
  const hmac = createHmac('sha1', key);
  for (const v of [seq, prev, id, ...values]) hmac.update(`${Buffer.byteLength(v, 'utf8')}:`).update(v, 'utf8');
  return hmac.digest('hex');
}
