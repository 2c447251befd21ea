/**
 * Vietnamese text handling (docs/domain.md §9). Incoming text is stored in NFC; matching always runs on a
 * folded copy (no diacritics, đ→d, lower case), optionally with Telex/VNI keyboard leftovers repaired.
 */

/** Normalise to NFC and trim; phones send NFD or mixed forms. */
export function nfc(text: string): string {
  return text.normalize('NFC').trim();
}

/** Lower-case, diacritic-free copy for matching. Keeps length-independent meaning, not positions. */
export function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐÐð]/g, (c) => (c === 'đ' || c === 'ð' ? 'd' : 'D'))
    .toLowerCase();
}

const TELEX_TONE = /([a-z]{2,})[sfrxj]$/;

/**
 * Repairs one folded word typed with the Vietnamese keyboard switched off.
 * Vietnamese syllables never end in s/f/r/x/j and never contain w, dd or doubled vowels, so these
 * patterns are keyboard leftovers. Words with digits glued after letters (VNI: `tre3`, `xa6m`) lose
 * the digits, but only when at least two letters are present, so period forms like `T10` survive.
 */
export function repairWord(word: string): string {
  let w = word;
  if (/^[a-z]+[0-9][a-z0-9]*$/.test(w) && (w.match(/[a-z]/g)?.length ?? 0) >= 2) {
    w = w.replace(/[1-9]/g, '');
  }
  if (!/^[a-z]+$/.test(w) || w.length < 3) return w;
  w = w.replace(TELEX_TONE, '$1');
  return w
    .replace(/dd/g, 'd')
    .replace(/aa|aw/g, 'a')
    .replace(/ee/g, 'e')
    .replace(/oo|ow/g, 'o')
    .replace(/uw|w/g, 'u');
}

/** Folded text with punctuation turned into single spaces: the form keyword matching runs on. */
export function foldWords(text: string): string {
  return fold(text)
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** Folded words with keyboard leftovers repaired (`xaam haij` → `xam hai`, `tre3 em` → `tre em`). */
export function foldRepaired(text: string): string {
  return foldWords(text)
    .split(' ')
    .map(repairWord)
    .join(' ');
}

/** True when `phrase` (already folded, words separated by spaces) occurs as whole words in `haystack`. */
export function hasPhrase(haystack: string, phrase: string): boolean {
  // Searched in place: a step checks dozens of phrases, and padding both sides built two strings per phrase.
  if (!phrase) return ` ${haystack} `.includes('  ');
  for (let at = haystack.indexOf(phrase); at !== -1; at = haystack.indexOf(phrase, at + 1)) {
    const end = at + phrase.length;
    if ((at === 0 || haystack.charCodeAt(at - 1) === SPACE) && (end === haystack.length || haystack.charCodeAt(end) === SPACE)) return true;
  }
  return false;
}

const SPACE = 32;

/** Polite openings that carry no answer themselves ("dạ không", "vâng, có ạ"). */
const POLITE = new Set(['da', 'thua', 'vang', 'u', 'a']);
/** "Không biết" as people type it: "ko bik", "k bit", "kh rõ", "chưa bt". */
const NOT_KNOWN_LEADS = ['khong', 'ko', 'k', 'kh', 'chua'].flatMap((no) => ['biet', 'bik', 'bit', 'bt', 'ro'].map((know) => `${no} ${know}`));
const UNSURE_LEADS = [...NOT_KNOWN_LEADS, 'chiu', 'co le', 'co the', 'hinh nhu', 'chac', 'khong chac', 'ko chac', 'k chac'];
const SHORT_ANSWER_WORDS = 6;
/** The "don't know" phrases, which mean unsure wherever they stand ("có chắc chắn" is not unsure). */
const NOT_KNOWN: ReadonlySet<string> = new Set(NOT_KNOWN_LEADS);
/** Who says they do not know ("em không biết", "tôi cũng không rõ"): no answer by themselves. */
const SPEAKERS = new Set(['em', 'e', 'toi', 'minh', 'mk', 'tui', 'chau', 'con', 'anh', 'chi', 'cung']);
/** Folded words that say yes alone ("có", "đúng", "ok", "uh", "uk"): an answer's lead and a confirmation's aliases. */
export const YES_WORDS: readonly string[] = ['co', 'c', 'dung', 'yes', 'y', 'ok', 'oke', 'okie', 'okay', 'uh', 'um', 'uk'];
/** "rồi" leads a yes too ("rồi, nó vẫn ở nhà"). */
const YES_LEADS = new Set([...YES_WORDS, 'roi']);
const NO_LEADS = new Set(['khong', 'ko', 'k', 'kh', 'hong', 'chua', 'no', 'n', 'sai']);

/** Hedges before an answer: "chắc là có", "có lẽ có", "hình như có". */
const HEDGES = new Set(['chac', 'la', 'co le', 'co the', 'hinh nhu', 'nghi', 'thay']);

/** Whether an unsure answer leans to yes ("chắc là có vì tối qua nó kêu to lắm", "hình như có"). */
export function leansYes(text: string): boolean {
  const words = foldWords(text).split(' ').filter(Boolean);
  let i = 0;
  while (i < words.length && (POLITE.has(words[i] as string) || SPEAKERS.has(words[i] as string))) i++;
  let hedged = false;
  for (;;) {
    const two = `${words[i] ?? ''} ${words[i + 1] ?? ''}`;
    if (HEDGES.has(two)) i += 2;
    else if (HEDGES.has(words[i] ?? '')) i++;
    else break;
    hedged = true;
  }
  return hedged && YES_LEADS.has(words[i] ?? '') && words[i + 1] !== 'le' && words[i + 1] !== 'the';
}

/** Words around a refusal or a "don't know" that change nothing: "thôi khỏi", "dạ em không biết nữa ạ", "bỏ qua câu này nhé". */
const NO_ANSWER_FILLERS = new Set(['thoi', 'thui', 'da', 'vang', 'a', 'nhe', 'nha', 'nhen', 'di', 'dau', 'oi', 'ha', 'cung', 'cau', 'nay', 'nua', 'em', 'e', 'toi', 'minh', 'mk', 'tui', 'chau', 'con']);
const DECLINES: ReadonlySet<string> = new Set(
  ['khoi', 'bo qua', 'cho qua', 'mien', 'skip', 'pass', 'de sau', 'sang cau khac', 'qua cau khac'].concat(
    ['khong', 'ko', 'k', 'kh'].flatMap((no) => ['can', 'muon noi', 'muon tra loi', 'tien noi', 'noi duoc', 'tra loi'].map((w) => `${no} ${w}`)),
  ),
);

/**
 * A message that gives no answer, as a whole: declined ("thôi khỏi", "bỏ qua câu này", "em không muốn
 * nói đâu": the person would rather not say, and does not stop the conversation, which "thôi" alone
 * does) or not known ("ko biết nữa", "chịu"). "không cần gọi lại, cháu đang ở với bà" is an answer.
 */
export function noAnswer(text: string): 'declined' | 'not_known' | undefined {
  const said = foldWords(text).split(' ').filter((w) => w && !NO_ANSWER_FILLERS.has(w)).join(' ');
  return DECLINES.has(said) ? 'declined' : NOT_KNOWN.has(said) || said === 'chiu' ? 'not_known' : undefined;
}

/**
 * The answer a sentence opens with: "có, nó vẫn ở với bố" is yes, "dạ không ạ" no, "không biết nữa" and
 * "có lẽ" unsure. `undefined` when it opens with none of them.
 */
export function leadingAnswer(text: string): 'yes' | 'no' | 'unsure' | undefined {
  const words = foldWords(text).split(' ').filter(Boolean);
  let i = 0;
  while (i < words.length - 1 && POLITE.has(words[i] as string)) i++;
  // "chắc chắn có", "chắc chắn là không": sure, the answer follows.
  if (words[i] === 'chac' && words[i + 1] === 'chan' && i + 2 < words.length) i += words[i + 2] === 'la' && i + 3 < words.length ? 3 : 2;
  let k = i;
  while (k < words.length - 1 && SPEAKERS.has(words[k] as string)) k++;
  const rest = words.slice(i).join(' ');
  const told = words.slice(k).join(' ');
  // In a short answer "không rõ" may come anywhere: "dạ em cũng không rõ"; in a longer one after who says it.
  const short = words.length <= SHORT_ANSWER_WORDS;
  const opens = (p: string) => rest === p || rest.startsWith(`${p} `) || (NOT_KNOWN.has(p) && (told === p || told.startsWith(`${p} `)));
  if (UNSURE_LEADS.some((p) => opens(p) || (short && NOT_KNOWN.has(p) && hasPhrase(rest, p)))) return 'unsure';
  // "Em không", "chị có": a bare answer after who gives it.
  const j = words.length - k <= 2 ? k : i;
  const first = words[j];
  if (first === undefined) return undefined;
  if (YES_LEADS.has(first)) return 'yes';
  // "không ai ở nhà với nó" tells something; it does not answer no.
  const someone = words[j + 1] === 'ai' || (words[j + 1] === 'co' && words[j + 2] === 'ai');
  if (NO_LEADS.has(first)) return someone ? undefined : 'no';
  // "vâng", "dạ" alone say yes.
  return j === words.length - 1 && (first === 'vang' || first === 'da' || first === 'u') ? 'yes' : undefined;
}
