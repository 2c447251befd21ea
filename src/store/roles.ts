/**
 * Who holds which role in which commune. A role is gained only by redeeming a one-time invite code
 * printed by an administrator (`npm run invite`); every member belongs to exactly one commune.
 *
 * An invite is stored under a keyed hash of its code (`invite:<hash>`, `invite:used:<hash>`), never the
 * code itself: a copy of Redis without DATA_KEY must not hand out a staff role. Redeeming hashes what
 * was typed and renames that key, so the code is needed to find it.
 */
import { randomInt } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { StaffRole } from '../config/communes.js';
import { CODE_ALPHABET } from '../domain/refcode.js';
import type { AuditLog } from './audit.js';
import type { DataCipher } from './crypto.js';

export interface Member {
  identity: string;
  communeId: string;
  role: StaffRole;
  village?: string;
  /** The name the person goes by on their chat app, when it gave one: staff are named by it. */
  name?: string;
  since: number;
}

export interface Invite {
  code: string;
  communeId: string;
  role: StaffRole;
  village?: string;
  expiresAt: number;
}

export const ROLE_LABEL: Record<StaffRole, string> = {
  officer: 'Cán bộ bảo vệ trẻ em',
  chair: 'Lãnh đạo UBND xã',
  police: 'Công an xã',
  village_head: 'Trưởng thôn',
  admin: 'Quản trị',
  province: 'Cán bộ tỉnh',
};

const memberKey = (identity: string) => `member:${identity}`;
const roleIndex = (communeId: string, role: StaffRole) => `members:${communeId}:${role}`;
const ALL_MEMBERS = 'members:all';

function toMember(identity: string, h: Record<string, string>): Member | undefined {
  if (!h.role || !h.communeId) return undefined;
  return { identity, communeId: h.communeId, role: h.role as StaffRole, village: h.village || undefined, name: h.name || undefined, since: Number(h.since) };
}

export class RoleStore {
  private refused: (identity: string) => boolean = () => false;

  constructor(
    private readonly redis: Redis,
    private readonly audit: AuditLog,
    private readonly cipher: Pick<DataCipher, 'blind'>,
  ) {}

  /** The keyed hash an invite code is stored under (the HMAC key comes from DATA_KEY, crypto.ts). */
  private inviteTag(code: string): string {
    return this.cipher.blind(`invite:${code}`);
  }

  private inviteKey(code: string): string {
    return `invite:${this.inviteTag(code)}`;
  }

  private usedInviteKey(code: string): string {
    return `invite:used:${this.inviteTag(code)}`;
  }

  /** Identities whose stored role counts for nothing (demo roles outside the try-out mode: app/demo.ts). */
  refuse(test: (identity: string) => boolean): void {
    this.refused = test;
  }

  /** The refused identities that still have a role stored (to report them). */
  async refusedMembers(): Promise<string[]> {
    return (await this.redis.smembers(ALL_MEMBERS)).filter((id) => this.refused(id)).sort();
  }

  async createInvite(input: { communeId: string; role: StaffRole; village?: string; ttlDays: number; createdBy: string }, now = Date.now()): Promise<Invite> {
    const ttlSeconds = Math.ceil(input.ttlDays * 86400);
    for (;;) {
      let code = '';
      for (let i = 0; i < 8; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
      const invite: Invite = { code, communeId: input.communeId, role: input.role, village: input.village, expiresAt: now + ttlSeconds * 1000 };
      const key = this.inviteKey(code);
      const ok = await this.redis.hsetnx(key, 'role', input.role);
      if (!ok) continue;
      const tx = this.redis.multi();
      tx.hset(key, { communeId: input.communeId, village: input.village ?? '', expiresAt: String(invite.expiresAt) });
      tx.expire(key, ttlSeconds);
      this.audit.addTo(tx, { actor: input.createdBy, action: 'invite.create', subject: `${input.communeId}/${input.role}`, detail: input.village }, now);
      await tx.exec();
      return invite;
    }
  }

  /**
   * Redeems a code for an identity. RENAME is atomic, so of two people racing for one code exactly one
   * gets it; an expired code has already been removed by its TTL.
   */
  async redeem(code: string, identity: string, now = Date.now(), name?: string): Promise<Member | 'invalid'> {
    const normalized = code.toUpperCase().replace(/[^0-9A-Z]/g, '');
    try {
      await this.redis.rename(this.inviteKey(normalized), this.usedInviteKey(normalized));
    } catch {
      return 'invalid';
    }
    const used = this.usedInviteKey(normalized);
    const inv = await this.redis.hgetall(used);
    await this.redis.expire(used, 30 * 86400);
    const member: Member = { identity, communeId: inv.communeId ?? '', role: inv.role as StaffRole, village: inv.village || undefined, ...(name ? { name } : {}), since: now };
    // The audit names the invite by the start of its hash: enough to match the `invite.create` line's time, not the code.
    await this.assign(member, `invite:${this.inviteTag(normalized).slice(0, 8)}`, now);
    return member;
  }

  /** Gives a role directly: used by redeem and by the local try-out mode's demo people. */
  async assign(member: Member, actor: string, now = Date.now()): Promise<void> {
    const previous = await this.get(member.identity);
    const tx = this.redis.multi();
    if (previous) tx.srem(roleIndex(previous.communeId, previous.role), member.identity);
    tx.del(memberKey(member.identity));
    tx.hset(memberKey(member.identity), { communeId: member.communeId, role: member.role, village: member.village ?? '', name: member.name ?? '', since: String(member.since) });
    tx.sadd(roleIndex(member.communeId, member.role), member.identity);
    tx.sadd(ALL_MEMBERS, member.identity);
    this.audit.addTo(tx, { actor, action: 'role.assign', subject: member.identity, detail: `${member.communeId}/${member.role}` }, now);
    await tx.exec();
  }

  async get(identity: string): Promise<Member | undefined> {
    if (this.refused(identity)) return undefined;
    return toMember(identity, await this.redis.hgetall(memberKey(identity)));
  }

  async members(communeId: string, role: StaffRole): Promise<Member[]> {
    const ids = await this.redis.smembers(roleIndex(communeId, role));
    const all = await Promise.all(ids.sort().map((id) => this.get(id)));
    return all.filter((m): m is Member => m !== undefined);
  }

  async list(communeId?: string): Promise<Member[]> {
    const ids = await this.redis.smembers(ALL_MEMBERS);
    const all = await Promise.all(ids.sort().map((id) => this.get(id)));
    return all.filter((m): m is Member => m !== undefined && (!communeId || m.communeId === communeId));
  }

  async revoke(identity: string, actor: string, now = Date.now()): Promise<boolean> {
    const m = await this.get(identity);
    if (!m) return false;
    const tx = this.redis.multi();
    tx.del(memberKey(identity));
    tx.srem(roleIndex(m.communeId, m.role), identity);
    tx.srem(ALL_MEMBERS, identity);
    this.audit.addTo(tx, { actor, action: 'role.revoke', subject: identity, detail: `${m.communeId}/${m.role}` }, now);
    await tx.exec();
    return true;
  }
}
