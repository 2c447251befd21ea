/** Finds a configured village in what a person typed, with or without diacritics or the "thôn" prefix. */
import type { CommuneConfig } from '../config/communes.js';
import { fold, foldRepaired, foldWords, hasPhrase } from '../text/vietnamese.js';

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

/** Words said around a village's name that tell nothing more ("dạ, ở thôn Nà Ca ạ", "xóm Đồng Tâm nhé"). */
const AROUND_NAME = new Set(['o', 'tai', 'thon', 'xom', 'ban', 'lang', 'ap', 'to', 'khu', 'a', 'da', 'vang', 'nhe', 'nha', 'em', 'e', 'chi', 'anh', 'minh', 'toi', 'tui', 'la', 'thi', 'cua', 'nay', 'do', 'day', 'ay']);

/**
 * What an answer naming `village` says beyond its name, as folded words: "ở khuổi tát, gần nhà văn hoá"
 * → "gan nha van hoa". Where the child can be found helps the officer who goes.
 */
export function beyondVillage(text: string, commune: CommuneConfig, village: string): string[] {
  const v = commune.villages.find((x) => x.name === village);
  if (!v) return [];
  let rest = ` ${foldRepaired(text)} `;
  for (const n of [bare(v.name), ...v.aliases.map(bare)]) if (n) rest = rest.replace(` ${n} `, ' ');
  return rest.split(' ').filter((w) => w && !AROUND_NAME.has(w));
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

/** Words that name a village or a part of one, with their marks ("bạn" is not "bản", "tô" not "tổ"). */
const MARKERS = ['thôn', 'xóm', 'bản', 'ấp', 'tổ', 'khu', 'làng', 'buôn', 'bon', 'plei', 'sóc'];
/** Markers that, typed without marks, are as often everyday words ("ban" bạn, "to" to, "buon" buồn). */
const EVERYDAY_FOLDED = new Set(['ban', 'to', 'khu', 'lang', 'bon', 'buon']);
/** Words no place is named by ("thôn không có thật", "xóm nào đó", "thôn này"): a sentence, not a name. */
const NOT_NAMES = new Set(['khong', 'ko', 'k', 'co', 'biet', 'ro', 'nao', 'gi', 'do', 'day', 'kia', 'nay', 'that', 'dau', 'minh', 'em', 'toi', 'nha', 'o', 'cua', 'voi', 'la', 'thi', 'ma', 'va', 'hay', 'roi', 'chua', 'nua', 'ay']);
/** The most words of a place's name kept after its marker ("bản Khe Lầy Trên"). */
const PLACE_WORDS = 3;

/**
 * A place the person names that is not one of the commune's villages: a marker and a number or a
 * capitalised name, as typed ("hình như ở thôn 3" → "Thôn 3", "xóm Mới", "bản Khe Lầy"). A marker typed
 * without marks matches too; one typed with other marks is another word ("bạn Lan"). As the whole answer
 * to "which village?" (`answer`) the name may be typed in lower case ("xom tren", "ở xóm mới": "Xóm Tren",
 * "Xóm Mới"), when it runs to the end of the message.
 */
export function placeTyped(text: string, answer = false): string | undefined {
  const words = text.normalize('NFC').split(/[^\p{L}\p{N}\p{M}]+/u).filter(Boolean);
  const capital = (w: string): string => w.charAt(0).toUpperCase() + w.slice(1);
  for (let i = 0; i + 1 < words.length; i += 1) {
    const marker = (words[i] as string).toLowerCase();
    if (!MARKERS.some((m) => m === marker || (marker === fold(marker) && fold(m) === marker))) continue;
    const plain = marker !== fold(marker) || !EVERYDAY_FOLDED.has(marker);
    const rest = words.slice(i + 1);
    if (answer && plain && rest.length <= PLACE_WORDS && !rest.some((w) => NOT_NAMES.has(fold(w).toLowerCase()))) return [marker, ...rest].map(capital).join(' ');
    const number = /^\d{1,3}[a-zA-Z]?$/.test(words[i + 1] as string) ? 1 : 0;
    let end = i + 1 + number;
    if (!number) while (end < words.length && end - i - 1 < PLACE_WORDS && /^\p{Lu}/u.test(words[end] as string)) end += 1;
    if (end === i + 1) continue;
    return [capital(marker), ...words.slice(i + 1, end)].join(' ');
  }
  return undefined;
}

/**
 * Places people name instead of a village: the market, a school, the river, the fields. Typed with marks
 * a word must be the place ("chợ", not "cho"; "trường", not "trưởng"); typed without, only the words that
 * are seldom anything else count.
 */
const LANDMARKS_MARKED = new Set(['chợ', 'trường', 'sông', 'suối', 'hồ', 'ao', 'cầu', 'bến', 'bãi', 'quán', 'đồi', 'núi', 'rừng', 'ruộng', 'nương', 'rẫy', 'đường', 'xưởng']);
const LANDMARKS_PLAIN = new Set(['truong', 'suoi', 'nuong', 'ray', 'ruong', 'rung', 'nui']);
const LANDMARK_PHRASES = /(?:^| )(?:nha van hoa|tram y te|uy ban|ubnd|benh vien|quoc lo|tinh lo|nga ba|nga tu|cong ty|khu cong nghiep)(?: |$)/;
/** Words around such a place that are not part of it ("dạ, ở chợ xã ạ"). */
const LEAD_IN = new Set(['da', 'vang', 'o', 'tai', 'la']);
const TRAILING = /[\s,.!]*(?:\s(?:a|ạ|nhé|nhe|nha|đó|ấy|day|đấy))*[\s,.!]*$/iu;
/** A landmark answer is a few words: more is a story. */
const LANDMARK_WORDS = 6;

function namesLandmark(text: string): boolean {
  const typed = text.normalize('NFC').toLowerCase().split(/[^\p{L}\p{N}\p{M}]+/u).filter(Boolean);
  return LANDMARK_PHRASES.test(foldWords(text)) || typed.some((w) => (fold(w) === w ? LANDMARKS_PLAIN.has(w) : LANDMARKS_MARKED.has(w)));
}

/**
 * A place named instead of a village, as the whole answer to "which village?": "chợ xã ạ" → "Chợ xã",
 * "ngoài bờ suối". The officer needs it as it was said; undefined for anything else.
 */
export function landmarkTyped(text: string): string | undefined {
  if (foldWords(text).split(' ').length > LANDMARK_WORDS || !namesLandmark(text)) return undefined;
  const words = text.trim().replace(TRAILING, '').split(/\s+/);
  let skip = 0;
  while (skip < words.length - 1 && LEAD_IN.has(foldWords(words[skip] as string))) skip += 1;
  const place = words.slice(skip).join(' ');
  return place ? place.charAt(0).toUpperCase() + place.slice(1) : undefined;
}
