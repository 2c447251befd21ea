/** PKCE (RFC 7636) for the OA's consent link: the verifier, its challenge, and the link's `state`. */
import { createHash, randomBytes } from 'node:crypto';

/** RFC 7636 PKCE pair: a 43-character verifier and its S256 challenge (base64url, no padding). */
export function createPkcePair(): { codeVerifier: string; codeChallenge: string } {
  const codeVerifier = randomBytes(32).toString('base64url');
  return { codeVerifier, codeChallenge: pkceChallenge(codeVerifier) };
}

export function pkceChallenge(codeVerifier: string): string {
  return createHash('sha256').update(codeVerifier, 'ascii').digest('base64url');
}

/** Random `state` for the consent link; it also keys the stored verifier. */
export function createOAuthState(): string {
  return randomBytes(16).toString('base64url');
}
