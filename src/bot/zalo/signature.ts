/**
 * Zalo webhook signatures: header `X-ZEvent-Signature: mac=<hex>`, hex = plain SHA-256 (not HMAC) of
 * app_id + raw body + timestamp (from the body) + the OA Secret Key (docs/zalo.md).
 *
 * Only the OA Secret Key of the webhook page signs: the App Secret is never accepted (whoever holds it
 * could otherwise forge events). During a rotation the previous key is accepted too, and the caller
 * logs which one matched, so the old one can be removed once nothing is signed with it any more.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

export const ZALO_SIGNATURE_HEADER = 'x-zevent-signature';

export type ZaloSignatureSecret = 'oa_secret_key' | 'oa_secret_key_previous';

export interface ZaloSignatureConfig {
  appId: string;
  oaSecretKey: string;
  /** The key before a rotation, accepted until removed. */
  previousOaSecretKey?: string;
}

/** The lowercase hex signature Zalo would send for this body. Hashes the raw bytes as received. */
export function computeZaloSignature(appId: string, rawBody: Buffer | string, timestamp: string, secret: string): string {
  return createHash('sha256')
    .update(appId, 'utf8')
    .update(typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : rawBody)
    .update(timestamp, 'utf8')
    .update(secret, 'utf8')
    .digest('hex');
}

/**
 * Checks a webhook delivery. Returns which secret matched, or null for a missing, malformed or wrong
 * signature (or a body without a timestamp). `timestamp` may be passed when the body is already parsed.
 */
export function verifyZaloSignature(
  rawBody: Buffer | string,
  headerValue: string | string[] | undefined,
  config: ZaloSignatureConfig,
  timestamp?: string,
): ZaloSignatureSecret | null {
  const given = parseHeader(headerValue);
  if (!given) return null;
  const ts = timestamp ?? timestampOf(rawBody);
  if (ts === null) return null;

  const candidates: [ZaloSignatureSecret, string | undefined][] = [
    ['oa_secret_key', config.oaSecretKey],
    ['oa_secret_key_previous', config.previousOaSecretKey],
  ];
  let matched: ZaloSignatureSecret | null = null;
  for (const [name, secret] of candidates) {
    if (!secret) continue;
    const expected = Buffer.from(computeZaloSignature(config.appId, rawBody, ts, secret), 'hex');
    // Both buffers are 32 bytes (parseHeader only accepts 64 hex digits), as timingSafeEqual requires.
    // No early exit, so the time taken does not reveal which secret is in use.
    if (timingSafeEqual(expected, given) && matched === null) matched = name;
  }
  return matched;
}

/** Accepts `mac=<hex>` or bare `<hex>`, any case; anything else is no signature. */
function parseHeader(value: string | string[] | undefined): Buffer | null {
  const v = (Array.isArray(value) ? value[0] : value)?.trim();
  if (!v) return null;
  const hex = v.toLowerCase().startsWith('mac=') ? v.slice(4).trim() : v;
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) return null;
  return Buffer.from(hex, 'hex');
}

/**
 * The body's `timestamp` as text. Zalo sends it as a string; a number is accepted too, but only when
 * it survives JSON parsing exactly (millisecond timestamps do).
 */
function timestampOf(rawBody: Buffer | string): string | null {
  try {
    const parsed: unknown = JSON.parse(typeof rawBody === 'string' ? rawBody : rawBody.toString('utf8'));
    if (!parsed || typeof parsed !== 'object') return null;
    const ts = (parsed as { timestamp?: unknown }).timestamp;
    if (typeof ts === 'string' && ts !== '') return ts;
    if (typeof ts === 'number' && Number.isSafeInteger(ts)) return String(ts);
    return null;
  } catch {
    return null;
  }
}
