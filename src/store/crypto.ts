/**
 * Encryption at rest for personal fields (child details, reporter contact, descriptions, attachment
 * ids): AES-256-GCM under DATA_KEY. Identities that must be looked up (who reported what) are stored
 * as keyed HMACs, so Redis never holds a reporter's chat id in the clear.
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 'v1';

export class DataCipher {
  private readonly encKey: Buffer;
  private readonly macKey: Buffer;

  constructor(dataKey: Buffer) {
    if (dataKey.length !== 32) throw new Error('DATA_KEY must be 32 bytes');
    // Separate sub-keys so the index HMAC can never be used to attack the cipher, or the reverse.
    this.encKey = Buffer.from(hkdfSync('sha256', dataKey, Buffer.alloc(0), 'treem:enc', 32));
    this.macKey = Buffer.from(hkdfSync('sha256', dataKey, Buffer.alloc(0), 'treem:mac', 32));
  }

  static fromString(key: string): DataCipher {
    const buf = /^[0-9a-fA-F]{64}$/.test(key) ? Buffer.from(key, 'hex') : Buffer.from(key, 'base64');
    return new DataCipher(buf);
  }

  seal(value: unknown): string {
    return this.sealText(JSON.stringify(value));
  }

  /** Seals text already serialised (the turn path compares the JSON before deciding to seal). */
  sealText(text: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.encKey, iv);
    const ct = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
    return [VERSION, iv.toString('base64'), cipher.getAuthTag().toString('base64'), ct.toString('base64')].join('.');
  }

  open<T>(sealed: string): T {
    return JSON.parse(this.openText(sealed)) as T;
  }

  /** The sealed JSON text itself. */
  openText(sealed: string): string {
    const [version, iv, tag, ct] = sealed.split('.');
    if (version !== VERSION || !iv || !tag || ct === undefined) throw new Error('unknown sealed format');
    const decipher = createDecipheriv('aes-256-gcm', this.encKey, Buffer.from(iv, 'base64'));
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(ct, 'base64')), decipher.final()]).toString('utf8');
  }

  /** A key for another keyed hash (the audit chain), derived from the index key and stable with it. */
  subKey(purpose: string): Buffer {
    return Buffer.from(hkdfSync('sha256', this.macKey, Buffer.alloc(0), purpose, 32));
  }

  /** A stable, non-reversible key for an identity (used in index keys). */
  blind(value: string): string {
    return createHmac('sha256', this.macKey).update(value).digest('base64url').slice(0, 32);
  }
}

export function generateDataKey(): string {
  return randomBytes(32).toString('hex');
}
