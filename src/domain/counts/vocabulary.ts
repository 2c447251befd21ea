/**
 * The words of a counts message that are not numbers: filler, zero words, village markers, number words,
 * and each row's names (aliases, key, label) from the commune's field list (docs/domain.md §5), as one
 * phrase dictionary matched on folded text.
 */
import type { CountFieldConfig } from '../../config/communes.js';
import { foldRepaired, repairWord } from '../../text/vietnamese.js';

/** Words around the counts that carry no count: headers, politeness, units, the "bị/trẻ em/số" prefixes. */
const NOISE = [
  'bao cao', 'bc', 'bcao', 'so lieu', 'bao cao so lieu', 'thong ke', 'tong hop', 'ket qua', 'nhu sau',
  'gui', 'kinh gui', 'xin', 'em', 'anh', 'chi', 'a', 'ah', 'nhe', 'nha', 'ok', 'cam on', 'chao', 'xin chao',
  'ubnd', 'truong thon', 'ngay', 'nay', 'ky', 'thang', 'thang nay', 'tong', 'tong so',
  'so', 'sl', 'so luong', 'tre', 'tre em', 'bi', 'co', 'cac', 'la', 'ca', 'truong hop', 'th', 'nguoi', 'chau', 'be', 'con',
  'hoc sinh', 'moi', 'phat sinh', 'trong do', 'gom', 'va', 'cua', 've', 'o', 'tai', 'tren', 'dia ban',
  'nao', 'ai', 'da', 'roi', 'dc', 'duoc',
  // Ordinary phrasing around a count: "có 2 cháu trai mới sinh ra", "trong tháng có…", "một số cháu".
  'dua', 'chau be', 'trai', 'gai', 'nu', 'be trai', 'be gai', 'chau trai', 'chau gai', 'trong',
  'nam nay', 'nam qua', 'nam ngoai', 'nam truoc', 'mot so', 'ke ca', 'tat ca', 'deu', 'cung', 'them',
  'xin bao cao', 'kinh bao cao', 'em xin', 'gui xa', 'len xa', 'cho xa', 'tinh hinh', 'hien tai', 'hien nay',
  'nhu vay', 'voi', 'ca thang', 'thon em', 'tong cong', 'cong', 'gom co', 'di', 'sau day',
  // "2 TE bỏ học", "1 hs", "lớp 8", "3 tuổi" (their numbers are skipped by the scanner), "không xảy ra", "phát hiện 1…".
  'te', 'hs', 'lop', 'tuoi', 'xay ra', 'ghi nhan', 'phat hien', 'vua roi', 'vua qua',
  // "Not known" is not zero: these win over `không` by being longer, so the row is asked again.
  'khong ro', 'chua ro', 'khong biet', 'chua biet', 'chua co', 'chua co so lieu',
  // Words joining items: "sinh 2, sau đó có 1 cháu tai nạn", "xâm hại 0 nhưng có 1 cháu có nguy cơ".
  'sau do', 'tiep theo', 'tiep den', 'tiep do', 'ke do', 'ke den', 'nhung', 'ben canh do', 'dong thoi', 'them vao do',
  'hay', 'hoac', 'cung nhu', 'rieng', 'nua', 'them nua', 'cuoi cung',
  // Words that say why or when ("tử vong 1 do tai nạn", "mất lúc sinh"): they join, they name no row
  // (the scanner still reads them to end a weak name or to mark a row as the cause).
  'do', 'vi', 'boi', 'khi', 'luc',
  // Said around a correction or an addition: "bổ sung: 1 cháu bỏ học", "gửi lại", "sửa thành".
  'thanh', 'bo sung', 'cap nhat', 'gui lai', 'chinh xac', 'lai',
  // When it happened: "ông nội cháu mất hôm qua", "bị ngã tuần trước" (a weak name before them has ended).
  'hom qua', 'hom kia', 'hom truoc', 'hom nay', 'tuan truoc', 'tuan qua', 'tuan nay', 'sang nay', 'sang qua',
  'trua nay', 'chieu nay', 'chieu qua', 'toi nay', 'toi qua', 'dem qua', 'vua xong', 'moi day', 'gan day',
  'dau thang', 'giua thang', 'cuoi thang',
  // Chatter: "sinh 2 thôi ạ", "à quên, bỏ học 1".
  'thoi', 'quen', 'a quen', 'con quen', 'muon', 'gui muon', 'nop muon',
  // "không có gì đặc biệt", "bình thường"; "con chị không sao" is no zero for the row before it.
  'gi', 'khac', 'dac biet', 'binh thuong', 'binh yen', 'on dinh', 'moi thu', 'khong sao', 'ko sao', 'k sao',
  // Words with "sinh" in them that are not births: "bệnh tim bẩm sinh", "1 cháu sơ sinh tử vong" (but "số sinh: 3").
  'bam sinh', 'chau so sinh', 'be so sinh', 'tre so sinh', 'tre em so sinh', 'sinh hoat', 'sinh vien', 'sinh nhat', 'sinh song', 've sinh', 'khang sinh', 'sinh ke',
  'hon me', 'phong chong',
];

/**
 * A correction within the message: "sinh 3, à nhầm, sinh 2", "tai nạn 1, sửa lại tai nạn 2", "tử vong
 * 1. Xin lỗi, tử vong 0". The row
 * named next after one of these takes its new value in place of what the message gave it before.
 */
const CORRECTION = ['nham', 'a nham', 'em nham', 'gui nham', 'ghi nham', 'sua lai', 'xin sua', 'em sua', 'sua thanh', 'dinh chinh', 'xin dinh chinh', 'xin loi', 'sorry'];

/** `không`, `ko`, `k` (and `kh`, chat shorthand: docs/domain.md §9; `chẳng`, `chả có`) right after a row mean zero. */
const ZERO = ['khong', 'ko', 'k', 'kh', 'chang', 'cha co'];

/**
 * Grown-ups a village head names beside a row: parents, grandparents, other adults. The counts are
 * children's, so "mẹ cháu bị tai nạn" or "1 cụ già tử vong" is not a count (the scanner decides when
 * the grown-up is the one it happened to). "bà" folds like "ba" (three) and is read by the scanner;
 * "bố" like "bỏ" (to leave), so `bo` before a word that makes it that verb is not a person.
 */
const ADULTS = [
  'me', 'bo', 'cha', 'ong', 'bo me', 'cha me', 'ba me', 'me ke', 'me ruot', 'me de', 'me nuoi', 'bo duong', 'bo ruot', 'bo de',
  'bo nuoi', 'cha duong', 'cha ruot', 'cha de', 'cha nuoi', 'phu huynh', 'ong noi', 'ong ngoai', 'ba noi', 'ba ngoai', 'ong ba',
  'ong ba noi', 'ong ba ngoai', 'cu ong', 'cu ba', 'cu gia', 'ong cu', 'ba cu', 'ba gia', 'ong gia', 'nguoi gia', 'nguoi cao tuoi',
  'nguoi lon', 'nguoi dan', 'thanh nien', 'phu nu', 'dan ong', 'dan ba', 'san phu', 'thai phu', 'ba bau', 'vo chong', 'chong',
  'hang xom', 'bac', 'chu', 'thim', 'chu thim', 'bac si', 'giao vien', 'thay giao', 'co giao',
];

/** "cháu nhà ông A", "con của chị B", "ao hồ ông C" (and "gia đình"): after these a grown-up says whose it is. */
export const OWNER_MARKS = new Set(['nha', 'cua', 'con', 'ho']);

/**
 * What may happen to a child that the form has no row for, or that may or may not be a row's ("tự
 * tử": a death, or an attempt). Never a row by guess, and always said back, even right after a counted
 * row ("sinh 2 tự tử"), so the sender writes which row, if any, they meant.
 */
const NEAR_ROW = ['tu tu', 'tu sat', 'mang thai', 'co thai', 'nghien', 'ma tuy', 'bo nha', 'trom cap', 'vi pham phap luat'];

/**
 * Names of places and common words that hold words the dictionary reads otherwise ("tế" is the TE of
 * trẻ em, "xã" and "bản" village markers): "trạm y tế xã" is ordinary words, said back whole with what
 * they belong to.
 */
const ORDINARY = [
  'y te', 'tram y te', 'y te xa', 'tram y te xa', 'trung tam y te', 'tram xa',
  // "bạn bè", "bạn học", "bản thân": "ban" here is no village marker. Only such phrases are told apart:
  // a message reads the same with or without diacritics, so "bạn" alone stays "bản".
  'ban be', 'ban hoc', 'ban cung lop', 'ban than',
];

/** "chứ không phải 3", "không phải 2": the number after it is the one being corrected away, never a count. */
const NOT = ['khong phai', 'ko phai', 'k phai', 'kh phai', 'chu khong phai', 'chu ko phai', 'chu k phai', 'thay vi'];

/** "các mục còn lại: 0", "còn lại không có": every row not written is zero (the scanner checks the zero follows). */
const REST = [
  'con lai', 'cac muc con lai', 'muc con lai', 'cac muc khac', 'muc khac', 'cac chi tieu khac', 'chi tieu khac', 'cac muc kia',
  'cac truong hop khac', 'cac noi dung khac', 'noi dung khac', 'ngoai ra',
];
/**
 * "không có gì khác", "ngoài ra không có gì", "còn lại bình thường": the rest is zero, said in the phrase
 * itself (a month "bình thường" is one with nothing to count, as a quiet month's message says).
 */
const REST_NONE = [
  'khong co gi khac', 'ko co gi khac', 'k co gi khac', 'khong con gi khac', 'ko con gi khac', 'khong co gi them', 'ko co gi them',
  'khong co truong hop nao khac', 'ngoai ra khong co gi', 'ngoai ra ko co gi', 'con lai khong co gi', 'con lai ko co gi',
  ...REST.flatMap((rest) => [`${rest} binh thuong`, `${rest} deu binh thuong`]),
];

/** Words that introduce a village or unit name; the name after them is noise, not unknown keys. */
const VILLAGE_MARKERS = [
  'thon', 'xom', 'ban', 'bon', 'buon', 'lang', 'ap', 'to', 'khu', 'khu pho', 'to dan pho', 'plei', 'soc', 'xa', 'phuong',
];

/** Words numbers are spelt with (src/text/numbers.ts reads them); the scanner decides when they are a count. */
export const NUMBER_WORDS = new Set([
  'mot', 'hai', 'ba', 'bon', 'tu', 'nam', 'sau', 'bay', 'tam', 'chin', 'muoi', 'tram', 'nghin', 'ngan', 'trieu', 'linh', 'le', 'lam', 'nham',
]);

/** Leading words dropped from a label before it is accepted as an alias ("Trẻ em bị đuối nước" → "duoi nuoc"). */
const LABEL_PREFIX = new Set(['tre', 'em', 'bi', 'so', 'co', 'cac']);


// ————————————————————————————————————————————————————————————— phrase dictionary

export type Entry =
  /**
   * `weak`: the name is also an ordinary word or abbreviation; the scanner takes it for the row only
   * beside a count. `filler`: a weak name that is also a filler of counts ("TH" of tảo hôn is "trường
   * hợp" too, "2 TH"): the row only as an item of a list, right before its count ("sinh 2, TH 0").
   */
  | { kind: 'key'; key: string; weak?: boolean; filler?: boolean }
  | { kind: 'noise' }
  | { kind: 'zero' }
  | { kind: 'marker' }
  /** `none`: the phrase says the rest is zero itself ("không có gì khác"); otherwise a zero must follow. */
  | { kind: 'rest'; none?: true }
  | { kind: 'not' }
  | { kind: 'correction' }
  | { kind: 'adult' }
  | { kind: 'near' }
  /** Ordinary words whatever their parts mean alone (ORDINARY). */
  | { kind: 'word' };

export interface Dictionary {
  phrases: Map<string, Entry>;
  maxWords: number;
  /** Rows where a grown-up named as the doer is the mother or the wrongdoer (`adultActs`). */
  adultActs: ReadonlySet<string>;
  /** Rows of a state that lasts (`lasting`): with a span of time after them they are a passing absence. */
  lasting: ReadonlySet<string>;
  /** The age from which a person is not counted in a row (`untilAge`, default 16). */
  untilAge: (key: string) => number;
  /** A word of a row's name for a typo of it ("sihn", "tuvogn", "nuocc"), or the word as it is. */
  spell: (word: string) => string;
}

/** Luật Trẻ em: a child is a person under 16. */
const CHILD_UNTIL = 16;

export interface Match {
  entry: Entry;
  end: number;
  words: number;
}

const dictionaries = new WeakMap<readonly CountFieldConfig[], Dictionary>();

/** Built once per field list: the handler passes the same array for every message of a commune. */
export function dictionaryFor(fields: readonly CountFieldConfig[]): Dictionary {
  let dict = dictionaries.get(fields);
  if (!dict) {
    dict = buildDictionary(fields);
    dictionaries.set(fields, dict);
  }
  return dict;
}

function buildDictionary(fields: readonly CountFieldConfig[]): Dictionary {
  const phrases = new Map<string, Entry>();
  const add = (phrase: string, entry: Entry): void => {
    if (phrase) phrases.set(phrase, entry);
  };
  NOISE.forEach((p) => add(foldRepaired(p), { kind: 'noise' }));
  ZERO.forEach((p) => add(foldRepaired(p), { kind: 'zero' }));
  VILLAGE_MARKERS.forEach((p) => add(foldRepaired(p), { kind: 'marker' }));
  REST.forEach((p) => add(foldRepaired(p), { kind: 'rest' }));
  REST_NONE.forEach((p) => add(foldRepaired(p), { kind: 'rest', none: true }));
  NOT.forEach((p) => add(foldRepaired(p), { kind: 'not' }));
  CORRECTION.forEach((p) => add(foldRepaired(p), { kind: 'correction' }));
  ADULTS.forEach((p) => add(foldRepaired(p), { kind: 'adult' }));
  NEAR_ROW.forEach((p) => add(foldRepaired(p), { kind: 'near' }));
  ORDINARY.forEach((p) => add(foldRepaired(p), { kind: 'word' }));
  // Explicit aliases overwrite vocabulary; among fields the later one (a commune's extra row) wins.
  for (const field of fields) explicitAliases(field).forEach((p) => add(p, { kind: 'key', key: field.key }));
  // A label is a fallback alias: it never takes a phrase another row names explicitly.
  for (const field of fields) {
    const phrase = labelAlias(field.label);
    if (phrases.get(phrase)?.kind !== 'key') add(phrase, { kind: 'key', key: field.key });
  }
  // Weak names never take a phrase that already means something, but for a filler, which they share.
  for (const [phrase, key] of weakAliases(fields)) {
    const kind = phrases.get(phrase)?.kind;
    if (kind === undefined || kind === 'noise') add(phrase, { kind: 'key', key, weak: true, ...(kind && { filler: true }) });
  }
  let maxWords = 1;
  for (const phrase of phrases.keys()) maxWords = Math.max(maxWords, phrase.split(' ').length);
  const ages = new Map(fields.map((f) => [f.key, f.untilAge ?? CHILD_UNTIL]));
  return {
    phrases,
    maxWords,
    adultActs: new Set(fields.filter((f) => f.adultActs).map((f) => f.key)),
    lasting: new Set(fields.filter((f) => f.lasting).map((f) => f.key)),
    untilAge: (key) => ages.get(key) ?? CHILD_UNTIL,
    spell: speller(phrases),
  };
}

/** Each alias as given, run together (`tuvong`, as people type it), and the key itself (`xamhai`). */
function explicitAliases(field: CountFieldConfig): string[] {
  const out = new Set<string>();
  for (const alias of [...field.aliases, field.key]) {
    const phrase = foldRepaired(alias);
    if (!phrase) continue;
    out.add(phrase);
    out.add(repairWord(phrase.replace(/ /g, '')));
  }
  return [...out];
}

/**
 * Each row's weak names: those configured, and the initials of its label ("tử vong" → `tv`, "đuối nước"
 * → `dn`, "bỏ học" → `bh`), as village heads abbreviate rows the way `tntt` and `hcdb` are. Initials
 * two rows share name neither.
 */
function weakAliases(fields: readonly CountFieldConfig[]): Map<string, string> {
  const owners = new Map<string, Set<string>>();
  const own = (phrase: string, key: string): void => {
    if (phrase) owners.set(phrase, (owners.get(phrase) ?? new Set()).add(key));
  };
  for (const field of fields) {
    (field.weakAliases ?? []).forEach((alias) => own(foldRepaired(alias), field.key));
    const words = labelAlias(field.label.replace(/\(.*?\)/g, '')).split(' ');
    if (words.length > 1) own(words.map((w) => w[0]).join(''), field.key);
  }
  const out = new Map<string, string>();
  for (const [phrase, keys] of owners) if (keys.size === 1) out.set(phrase, [...keys][0] as string);
  return out;
}

/** Words this short have too many neighbours among ordinary words to be guessed at. */
const MIN_TYPO_LENGTH = 4;

/**
 * Typing slips in a row's name: two letters swapped ("sihn", "tuvogn") or a letter doubled ("sinhh").
 * A word the dictionary does not know becomes the one word of a row's name it is a slip of; a word
 * that is known, short, or a slip of two words stays as it is.
 */
function speller(phrases: ReadonlyMap<string, Entry>): (word: string) => string {
  const known = new Set<string>();
  const rowWords = new Set<string>();
  for (const [phrase, entry] of phrases) {
    for (const word of phrase.split(' ')) {
      known.add(word);
      if (entry.kind === 'key' && !entry.weak && word.length >= MIN_TYPO_LENGTH) rowWords.add(word);
    }
  }
  return (word) => {
    if (word.length < MIN_TYPO_LENGTH || known.has(word) || NUMBER_WORDS.has(word) || !/^[a-z]+$/.test(word)) return word;
    const found = new Set<string>();
    for (let i = 0; i + 1 < word.length; i += 1) {
      const swapped = word.slice(0, i) + (word[i + 1] as string) + (word[i] as string) + word.slice(i + 2);
      if (rowWords.has(swapped)) found.add(swapped);
      if (word[i] === word[i + 1] && rowWords.has(word.slice(0, i) + word.slice(i + 1))) found.add(word.slice(0, i) + word.slice(i + 1));
    }
    return found.size === 1 ? ([...found][0] as string) : word;
  };
}

function labelAlias(label: string): string {
  const words = foldRepaired(label).split(' ').filter(Boolean);
  while (words.length > 1 && LABEL_PREFIX.has(words[0] as string)) words.shift();
  return words.join(' ');
}

export interface VillageNames {
  phrases: ReadonlySet<string>;
  maxWords: number;
}

const villageLists = new WeakMap<readonly string[], VillageNames>();

/**
 * Village names depend on the sender's commune; built once per list (the handler passes the same array
 * for every message of a commune: folding them again was a third of reading a message, issue 15).
 */
export function villagePhrases(names: readonly string[] | undefined): VillageNames {
  if (!Array.isArray(names)) return buildVillagePhrases([]);
  let out = villageLists.get(names);
  if (!out) {
    out = buildVillagePhrases(names);
    villageLists.set(names, out);
  }
  return out;
}

function buildVillagePhrases(names: readonly string[]): VillageNames {
  const phrases = new Set<string>();
  let maxWords = 0;
  for (const name of names) {
    const phrase = typeof name === 'string' ? foldRepaired(name) : '';
    if (!phrase) continue;
    phrases.add(phrase);
    maxWords = Math.max(maxWords, phrase.split(' ').length);
  }
  return { phrases, maxWords };
}
