/** Finds a configured village in what a person typed, with or without diacritics or the "thôn" prefix. */
import type { CommuneConfig } from '../config/communes.js';
import { foldRepaired, foldWords, hasPhrase } from '../text/vietnamese.js';

const PREFIXES = /^(thon|xom|ban|to dan pho|to|khu|lang|ap)\s+/;

function bare(name: string): string {
  return foldWords(name).replace(PREFIXES, '');
}

export function matchVillage(text: string, commune: CommuneConfig): string | undefined {
  const typed = foldRepaired(text);
  const typedBare = typed.replace(PREFIXES, '');
  if (!typedBare) return undefined;
  for (const v of commune.villages) {
    const names = [bare(v.name), ...v.aliases.map(bare)];
    if (names.some((n) => n === typedBare || hasPhrase(typed, n))) return v.name;
  }
  return undefined;
}


/** Every configured village the text names, with the folded words just before each mention ("khong phai"). */
export function villagesNamed(text: string, commune: CommuneConfig): Array<{ name: string; before: string }> {
  const typed = ` ${foldRepaired(text)} `;
  const found: Array<{ name: string; before: string }> = [];
  for (const v of commune.villages) {
    for (const n of [bare(v.name), ...v.aliases.map(bare)]) {
      const at = n ? typed.indexOf(` ${n} `) : -1;
      if (at < 0) continue;
      found.push({ name: v.name, before: typed.slice(0, at).replace(/ (thon|xom|ban|lang|ap)$/, '').trim() });
      break;
    }
  }
  return found;
}
