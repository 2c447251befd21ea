/**
 * Server-side HTML with escaping by default: `html` tags a template, escapes every interpolated value
 * unless it is already `Html` (built by `html` itself), and joins arrays. Nothing reaches a page
 * unescaped by accident, and no template engine or build step is needed.
 */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

type Part = Html | string | number | boolean | null | undefined | readonly Part[];

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

function render(part: Part): string {
  if (part === null || part === undefined || part === false || part === true) return '';
  if (part instanceof Html) return part.value;
  if (Array.isArray(part)) return part.map(render).join('');
  return escapeHtml(String(part));
}

export function html(strings: TemplateStringsArray, ...parts: Part[]): Html {
  let out = strings[0] ?? '';
  parts.forEach((p, i) => {
    out += render(p) + (strings[i + 1] ?? '');
  });
  return new Html(out);
}

/** Trusted markup built elsewhere by code (inline SVG from numbers): never pass user text here. */
export function raw(markup: string): Html {
  return new Html(markup);
}

/**
 * Chat wording without its emoji: commune office computers often have no emoji font, and a box in
 * front of every button helps nobody.
 */
export function plain(text: string): string {
  return text.replace(/[\p{Extended_Pictographic}\u{FE0F}\u{200D}]/gu, '').replace(/^\s+/gm, '').trim();
}

/** '—' for a figure nobody sent: missing is never shown as 0. */
export function figure(value: number | undefined): string {
  return value === undefined ? '—' : String(value);
}
