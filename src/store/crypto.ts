/**
 * Encryption at rest for personal fields (child details, reporter contact, descriptions, attachment
 * ids): AES-256-GCM under DATA_KEY. Identities that must be looked up (who reported what) are stored
 * as keyed HMACs, so Redis never holds a reporter's chat id in the clear.
 *
 * A sealed value is `v2.<key id>.<iv>.<tag>.<ciphertext>`. The key id names the key that sealed it, so
 * DATA_KEY_PREVIOUS can still open values during a rotation (docs/keys.md). Every seal binds a
 * *context* as GCM associated data: the Redis record and field it is stored in (`report:TE-1#sealed`),
 * so a blob copied to another record or field does not open. Use `sealedAt(key, field)` to name it.
 * `v1.` values (before key ids) open under any key of the ring with no context; `npm run rotate-key`
 * re-seals them as v2.
 *
 * The HMAC (`blind`) key does not change with DATA_KEY: it is a random index key kept sealed in Redis
 * (key-ring.ts), so index key names survive a rotation. Without one it is derived from DATA_KEY as
 * before key ids existed, which is what existing deployments' index keys use.
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, randomFillSync } from 'node:crypto';
import { BoundedMap } from '../bounded-map.js';

const LEGACY = 'v1';
const VERSION = 'v2';

/** The context of a value stored in `key` (at `field`, for a hash or a JSON property). */
export function sealedAt(key: string, field?: string): string {
  return field === undefined ? key : `${key}#${field}`;
}

/** A sealed value could not be opened: wrong key, unknown key id, damaged or moved (another context). */
export class SealError extends Error {
  override name = 'SealError';
}

interface Key {
  id: string;
  enc: Buffer;
}

function sub(dataKey: Buffer, info: string): Buffer {
  return Buffer.from(hkdfSync('sha256', dataKey, Buffer.alloc(0), info, 32));
}

/** The DATA_KEY text (64 hex characters, or base64 of 32 bytes) as bytes. */
export function parseDataKey(key: string): Buffer {
  const buf = /^[0-9a-fA-F]{64}$/.test(key) ? Buffer.from(key, 'hex') : Buffer.from(key, 'base64');
  if (buf.length !== 32) throw new Error('DATA_KEY must be 32 bytes');
  return buf;
}

/** The public name of a key (8 characters): says which key sealed a value, reveals nothing of it. */
export function keyIdOf(dataKey: Buffer): string {
  return createHmac('sha256', dataKey).update('treem:key-id').digest('base64url').slice(0, 8);
}

/** The index (HMAC) key existing deployments have: derived from DATA_KEY. */
export function legacyIndexKey(dataKey: Buffer): Buffer {
  return sub(dataKey, 'treem:mac');
}

export interface CipherKeys {
  current: Buffer;
  /** The key being rotated away from (DATA_KEY_PREVIOUS): opens, never seals. */
  previous?: Buffer;
  /** The HMAC key of `blind` itself (default: derived from `current`, see the header). */
  indexKey?: Buffer;
}

export class DataCipher {
  private readonly current: Key;
  private readonly ring: Key[];
  private readonly macKey: Buffer;

  constructor(keys: Buffer | CipherKeys) {
    const k: CipherKeys = Buffer.isBuffer(keys) ? { current: keys } : keys;
    if (k.current.length !== 32 || (k.previous && k.previous.length !== 32)) throw new Error('DATA_KEY must be 32 bytes');
    this.current = { id: keyIdOf(k.current), enc: sub(k.current, 'treem:enc') };
    this.ring = [this.current, ...(k.previous ? [{ id: keyIdOf(k.previous), enc: sub(k.previous, 'treem:enc') }] : [])];
    // Separate sub-keys so the index HMAC can never be used to attack the cipher, or the reverse.
    this.macKey = k.indexKey ?? legacyIndexKey(k.current);
  }

  static fromString(key: string, previous?: string): DataCipher {
    return new DataCipher({ current: parseDataKey(key), ...(previous ? { previous: parseDataKey(previous) } : {}) });
  }

  /** The id of the key new values are sealed under. */
  get keyId(): string {
    return this.current.id;
  }

  seal(value: unknown, context: string): string {
    return this.sealText(JSON.stringify(value), context);
  }

  /** Seals text already serialised (the turn path compares the JSON before deciding to seal). */
  sealText(text: string, context: string): string {
    const iv = freshIv();
    const cipher = createCipheriv('aes-256-gcm', this.current.enc, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    // GCM is a stream mode: update() returns every byte and final() none (it computes the tag), so no concat copy.
    const ct = cipher.update(text, 'utf8');
    cipher.final();
    return `${VERSION}.${this.current.id}.${iv.toString('base64')}.${cipher.getAuthTag().toString('base64')}.${ct.toString('base64')}`;
  }

  open<T>(sealed: string, context: string): T {
    return JSON.parse(this.openText(sealed, context)) as T;
  }

  /** The sealed JSON text itself. Throws SealError when it cannot be opened under `context`. */
  openText(sealed: string, context: string): string {
    const parts = sealed.split('.');
    if (parts[0] === LEGACY && parts.length === 4) {
      for (const key of this.ring) {
        const text = tryOpen(key, parts[1], parts[2], parts[3], undefined);
        if (text !== undefined) return text;
      }
      throw new SealError('a sealed value (v1) does not open under DATA_KEY or DATA_KEY_PREVIOUS');
    }
    if (parts[0] !== VERSION || parts.length !== 5) throw new SealError('unknown sealed format');
    const key = this.ring.find((k) => k.id === parts[1]);
    if (!key) throw new SealError(`a value is sealed under key ${parts[1]}, which is neither DATA_KEY nor DATA_KEY_PREVIOUS`);
    const text = tryOpen(key, parts[2], parts[3], parts[4], context);
    if (text === undefined) throw new SealError('a sealed value does not open here (damaged, or moved from another record)');
    return text;
  }

  /** True when the value is sealed under the current key with a context (rotate-key leaves it as it is). */
  isCurrent(sealed: string): boolean {
    return sealed.startsWith(`${VERSION}.${this.current.id}.`);
  }

  /** Opens and seals again under the current key, same context (rotate-key); unchanged when current. */
  reseal(sealed: string, context: string): string {
    return this.isCurrent(sealed) ? sealed : this.sealText(this.openText(sealed, context), context);
  }

  /** A key for another keyed hash (the audit chain), derived from the index key and stable with it. */
  subKey(purpose: string): Buffer {
    return Buffer.from(hkdfSync('sha256', this.macKey, Buffer.alloc(0), purpose, 32));
  }

  /** A stable, non-reversible key for an identity (used in index keys). */
  blind(value: string): string {
    return this.blinded.getOr(value, (v) => createHmac('sha256', this.macKey).update(v).digest('base64url').slice(0, 32));
  }

  /** Every conversation step blinds its person again: recent values are kept. */
  private readonly blinded = new BoundedMap<string, string>(4096);
}

/**
 * 12 random bytes for a GCM nonce, cut from a pool filled 4 KB at a time: one call into OpenSSL per
 * 341 seals instead of one each (it was 2.5% of a conversation step). Each nonce is used once.
 */
const ivPool = Buffer.alloc(4092);
let ivAt = ivPool.length;
function freshIv(): Buffer {
  if (ivAt === ivPool.length) {
    randomFillSync(ivPool);
    ivAt = 0;
  }
  ivAt += 12;
  return ivPool.subarray(ivAt - 12, ivAt);
}

function tryOpen(key: Key, iv: string | undefined, tag: string | undefined, ct: string | undefined, context: string | undefined): string | undefined {
  if (!iv || !tag || ct === undefined) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key.enc, Buffer.from(iv, 'base64'));
    if (context !== undefined) decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(ct, 'base64')), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}

export function generateDataKey(): string {
  return randomBytes(32).toString('hex');
}
