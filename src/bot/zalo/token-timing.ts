/**
 * When to refresh a Zalo OA access token, from the lifetime Zalo gave it (`expires_in`, about 25 h
 * today): at 80% of that lifetime, but never while the token is younger than a floor, and never later
 * than its expiry. A fixed margin ("3 hours before expiry") would refresh on every send if Zalo ever
 * returned a lifetime shorter than the margin, spending the single-use refresh token each time; a share
 * of the lifetime refreshes once per lifetime whatever the lifetime is.
 */
export interface RefreshTiming {
  /** Share of the lifetime after which the token is refreshed. Default 0.8. */
  fraction?: number;
  /** A token younger than this is never refreshed early. Default 10 minutes. */
  floorMs?: number;
}

export function refreshDueAt(obtainedAt: number, lifetimeMs: number, timing: RefreshTiming = {}): number {
  const fraction = timing.fraction ?? 0.8;
  const floor = timing.floorMs ?? 10 * 60_000;
  return obtainedAt + Math.min(lifetimeMs, Math.max(lifetimeMs * fraction, floor));
}
