/**
 * Wall-clock time in a commune's time zone. Deadlines, quiet hours, working days and the dates people
 * read are all local (Asia/Ho_Chi_Minh), whatever the server's zone.
 */
export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

export const FALLBACK_ZONE = 'Asia/Ho_Chi_Minh';
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timezone: string): Intl.DateTimeFormat {
  let f = formatters.get(timezone);
  if (!f) {
    const options: Intl.DateTimeFormatOptions = { hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' };
    try {
      f = new Intl.DateTimeFormat('en-US', { ...options, timeZone: timezone });
    } catch {
      // Config validation rejects unknown zones; should one slip through, Vietnam time is right for
      // every commune this service is for.
      f = new Intl.DateTimeFormat('en-US', { ...options, timeZone: FALLBACK_ZONE });
    }
    formatters.set(timezone, f);
  }
  return f;
}

export function wallClock(at: number, timezone: string): WallClock {
  const out: Record<string, number> = {};
  for (const p of formatter(timezone).formatToParts(at)) if (p.type !== 'literal') out[p.type] = Number(p.value);
  return { year: out.year ?? 1970, month: out.month ?? 1, day: out.day ?? 1, hour: out.hour ?? 0, minute: out.minute ?? 0, second: out.second ?? 0 };
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** "14:05 05/11/2025", the way dates are written in Vietnamese messages. */
export function formatLocal(at: number, timezone: string): string {
  const c = wallClock(at, timezone);
  return `${pad(c.hour)}:${pad(c.minute)} ${pad(c.day)}/${pad(c.month)}/${c.year}`;
}

/** "vừa xong", "7 phút trước", "2 giờ 5 phút trước", "3 ngày trước": how long ago, for alerts and lists. */
export function timeAgo(at: number, now: number): string {
  const minutes = Math.floor(Math.max(0, now - at) / 60_000);
  if (minutes < 1) return 'vừa xong';
  if (minutes < 60) return `${minutes} phút trước`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 ? `${hours} giờ ${minutes % 60} phút trước` : `${hours} giờ trước`;
  return `${Math.floor(hours / 24)} ngày trước`;
}
