/**
 * Links a staff member chose between their identities on two channels (`/lienket` on the first, the
 * one-time code typed as `/lienket CODE` on the second). The first identity holds the role; the
 * second is another address of the same person: messages that cannot reach one (the OA's 7-day
 * window, a blocked bot) go to the other, and the person acts with their role from either.
 *
 * Keys:
 * - `link:code:<code>`        → the identity that asked (10 minutes, used once)
 * - `link:code-for:<identity>`→ its current code, so asking again replaces the old one
 * - `link:of:<identity>`      → the role-holding identity it is linked to
 * - `links:<identity>`        → set of the identities linked to it
 * - `links:all`               → set of role-holding identities that have links, for admins
 */
import { randomInt } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { AuditLog } from './audit.js';

export const LINK_CODE_TTL_SECONDS = 10 * 60;

const codeKey = (code: string) => `link:code:${code}`;
const codeForKey = (identity: string) => `link:code-for:${identity}`;
const ofKey = (identity: string) => `link:of:${identity}`;
const linksKey = (identity: string) => `links:${identity}`;
const ALL = 'links:all';

export type RedeemResult =
  | { ok: true; primary: string }
  | { ok: false; reason: 'invalid' | 'same_channel' };

export interface Link {
  primary: string;
  linked: string;
}

const channelOf = (identity: string) => identity.slice(0, identity.indexOf(':'));

export class LinkStore {
  constructor(
    private readonly redis: Redis,
    private readonly audit: AuditLog,
  ) {}

  /** A fresh 6-digit code for `primary` (which must hold a role: the caller checks). */
  async issueCode(primary: string): Promise<string> {
    for (;;) {
      const code = String(randomInt(1_000_000)).padStart(6, '0');
      const ok = await this.redis.set(codeKey(code), primary, 'EX', LINK_CODE_TTL_SECONDS, 'NX');
      if (ok !== 'OK') continue;
      const old = await this.redis.getset(codeForKey(primary), code);
      await this.redis.expire(codeForKey(primary), LINK_CODE_TTL_SECONDS);
      if (old && old !== code) await this.redis.del(codeKey(old));
      return code;
    }
  }

  /** `linked` typed `code`: it becomes another address of the code's owner. */
  async redeem(code: string, linked: string, now = Date.now()): Promise<RedeemResult> {
    const normalized = code.replace(/\D/g, '');
    if (normalized.length !== 6) return { ok: false, reason: 'invalid' };
    const primary = await this.redis.getdel(codeKey(normalized));
    if (!primary) return { ok: false, reason: 'invalid' };
    if (channelOf(primary) === channelOf(linked)) return { ok: false, reason: 'same_channel' };
    // One link per identity: linking again moves it.
    await this.unlink(linked, `link:${primary}`, now);
    const tx = this.redis.multi();
    tx.del(codeForKey(primary));
    tx.set(ofKey(linked), primary);
    tx.sadd(linksKey(primary), linked);
    tx.sadd(ALL, primary);
    this.audit.addTo(tx, { actor: primary, action: 'link.add', subject: linked }, now);
    await tx.exec();
    return { ok: true, primary };
  }

  /** The role-holding identity `identity` is linked to, if any. */
  async primaryOf(identity: string): Promise<string | undefined> {
    return (await this.redis.get(ofKey(identity))) ?? undefined;
  }

  /** Every other address of the person behind `identity` (either side of a link). */
  async othersOf(identity: string): Promise<string[]> {
    const primary = (await this.primaryOf(identity)) ?? identity;
    const all = [primary, ...(await this.redis.smembers(linksKey(primary)))];
    return [...new Set(all)].filter((i) => i !== identity).sort();
  }

  async list(): Promise<Link[]> {
    const out: Link[] = [];
    for (const primary of (await this.redis.smembers(ALL)).sort()) {
      for (const linked of (await this.redis.smembers(linksKey(primary))).sort()) out.push({ primary, linked });
    }
    return out;
  }

  /** Removes the link of `identity`, whichever side it is on. */
  async unlink(identity: string, actor: string, now = Date.now()): Promise<number> {
    const pairs: Link[] = [];
    const primary = await this.primaryOf(identity);
    if (primary) pairs.push({ primary, linked: identity });
    for (const linked of await this.redis.smembers(linksKey(identity))) pairs.push({ primary: identity, linked });
    if (pairs.length === 0) return 0;
    const tx = this.redis.multi();
    for (const p of pairs) {
      tx.del(ofKey(p.linked));
      tx.srem(linksKey(p.primary), p.linked);
      this.audit.addTo(tx, { actor, action: 'link.remove', subject: p.linked, detail: p.primary }, now);
    }
    await tx.exec();
    for (const p of pairs) if ((await this.redis.scard(linksKey(p.primary))) === 0) await this.redis.srem(ALL, p.primary);
    return pairs.length;
  }
}
