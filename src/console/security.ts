/**
 * The console's protections in one place: response headers (a strict Content-Security-Policy with no
 * inline script at all, no framing, no referrer to other sites so a sign-in link never leaks), the session cookie,
 * and the anti-forgery check every form post passes (session token plus same-origin request).
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

export const CSP = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

export function setSecurityHeaders(reply: FastifyReply, csp = CSP): void {
  reply.header('content-security-policy', csp);
  // same-origin, not no-referrer: with no-referrer browsers send `Origin: null` on posts, blinding the check below.
  reply.header('referrer-policy', 'same-origin');
  reply.header('x-content-type-options', 'nosniff');
  reply.header('x-frame-options', 'DENY');
  reply.header('cross-origin-opener-policy', 'same-origin');
  reply.header('cross-origin-resource-policy', 'same-origin');
  reply.header('cache-control', 'no-store');
}

export interface CookieSettings {
  secure: boolean;
  maxAgeSeconds: number;
}

/** `__Host-` binds the cookie to this exact host over https; plain http (local try-out) cannot use it. */
export function cookieName(secure: boolean): string {
  return secure ? '__Host-treem' : 'treem';
}

export function sessionCookie(sid: string, s: CookieSettings): string {
  const path = s.secure ? '/' : '/console';
  return `${cookieName(s.secure)}=${sid}; Path=${path}; Max-Age=${s.maxAgeSeconds}; HttpOnly; SameSite=Strict${s.secure ? '; Secure' : ''}`;
}

export function clearedCookie(secure: boolean): string {
  return sessionCookie('', { secure, maxAgeSeconds: 0 });
}

export function readCookie(req: FastifyRequest, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return part.slice(i + 1).trim();
  }
  return undefined;
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * A post comes from our own page: the Origin (or, on old browsers, the Referer) names our origin when
 * the browser sends one, and the form's token matches the session's.
 */
export function sameOrigin(req: FastifyRequest, origin: string): boolean {
  const claimed = req.headers.origin ?? req.headers.referer;
  if (!claimed) return true; // very old browsers send neither; the form token still has to match
  if (claimed === 'null') return false;
  try {
    return new URL(claimed).origin === origin;
  } catch {
    return false;
  }
}

export function validCsrf(sent: unknown, expected: string): boolean {
  return typeof sent === 'string' && same(sent, expected);
}
