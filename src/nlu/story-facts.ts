/**
 * What a story already says about the child and the time ("con bé 5 tuổi bị đánh tối qua"), so the report
 * conversation does not ask it again. Read only where the wording is plain; anything unclear (two ages,
 * a boy and a girl, "ngày nào cũng") is left for the question, which costs one answer, not a wrong record.
 */
import { numberFromWords } from '../text/numbers.js';
import { hasPhrase } from '../text/vietnamese.js';
import { tokenise, tokens } from './normalise.js';
import { words } from './pattern.js';
import { settled } from './cues.js';

export interface StoryFacts {
  /** As the age step stores it: "5 tuổi", "3 tháng tuổi". */
  age?: string;
  sex?: 'nam' | 'nu';
  /** As the person said it, written properly: "Tối qua". */
  when?: string;
  /** The child's name as written, when the story says it plainly: "con tôi tên Minh", "bé tên là Lò Thị Hoa". */
  name?: string;
}

/** Words that name a boy or a girl child whatever follows (folded: none of them is another phrase too). */
const BOY = ['be trai', 'chau trai', 'thang be', 'thang nho', 'thang cu', 'cau be'];
const GIRL = ['be gai', 'chau gai', 'dua con gai'];
/**
 * Only with their marks: folded, "con be" is also "còn bé" (still small) and "co be" is "có bé". A name
 * after thằng or cái ("thằng Tèo", "cái Lan") is a boy's or a girl's.
 */
const BOY_MARKED = /(^|\s)([cC]u cậu|[tT]hằng\s+\p{Lu})/u;
const GIRL_MARKED = /(^|\s)([cC]on bé|[cC]ô bé|[cC]ái\s+\p{Lu})/u;
/**
 * "con gái tôi", "em trai nhà bên" name the child only as the one harmed or aged ("con gái tôi bị…",
 * "con trai nhà bên 8 tuổi"): "con trai nhà bà Lan đánh cháu" names the one who harmed.
 */
const KIN = { nam: ['con trai', 'em trai'], nu: ['con gai', 'em gai'] } as const;
const OWNERS = new Set(['toi', 'minh', 'em', 'nha', 'hang', 'cua']);

/**
 * When it happened, by the words people use: the folded wording, how it is stored, and how many days
 * before the report it was when that is one day ("tối qua": 1; "mấy hôm nay", "tuần này": none).
 */
const WHEN: ReadonlyArray<readonly [string, string, number?]> = [
  ['hom nay', 'Hôm nay', 0], ['sang nay', 'Sáng nay', 0], ['trua nay', 'Trưa nay', 0], ['chieu nay', 'Chiều nay', 0], ['toi nay', 'Tối nay', 0],
  ['luc nay', 'Lúc nãy', 0], ['vua nay', 'Vừa nãy', 0], ['ban nay', 'Ban nãy', 0], ['hoi nay', 'Lúc nãy', 0],
  // Southern "hồi sáng / hồi trưa / hồi chiều": earlier today.
  ['hoi sang', 'Sáng nay', 0], ['hoi trua', 'Trưa nay', 0], ['hoi chieu', 'Chiều nay', 0],
  ['hom qua', 'Hôm qua', 1], ['sang qua', 'Sáng hôm qua', 1], ['chieu qua', 'Chiều hôm qua', 1], ['toi qua', 'Tối qua', 1], ['dem qua', 'Đêm qua', 1],
  ['hom kia', 'Hôm kia', 2], ['may hom truoc', 'Mấy hôm trước'], ['may ngay truoc', 'Mấy ngày trước'], ['hom truoc', 'Hôm trước'],
  // "mấy hôm nay" is the last few days, not today ("hôm nay" inside it).
  ['may hom nay', 'Mấy hôm nay'], ['may ngay nay', 'Mấy ngày nay'], ['may bua nay', 'Mấy bữa nay'], ['may tuan nay', 'Mấy tuần nay'], ['may thang nay', 'Mấy tháng nay'],
  ['tuan nay', 'Tuần này'], ['ca tuan nay', 'Cả tuần nay'], ['ca thang nay', 'Cả tháng nay'], ['nam nay', 'Năm nay'],
  ['tu dau tuan', 'Từ đầu tuần'], ['tu dau thang', 'Từ đầu tháng'], ['tu dau nam', 'Từ đầu năm'],
  ['tuan truoc', 'Tuần trước'], ['tuan roi', 'Tuần rồi'], ['thang truoc', 'Tháng trước'], ['nam ngoai', 'Năm ngoái'],
  // "từ sáng tới giờ" is today; "từ sáng tới tối" (work all day) is no one time.
  ...(['sang', 'trua', 'chieu'] as const).flatMap((part) =>
    ['nay', 'den gio', 'toi gio', 'den bay gio', 'toi bay gio'].map((to) => [`tu ${part} ${to}`, `Từ ${{ sang: 'sáng', trua: 'trưa', chieu: 'chiều' }[part]} nay`, 0] as const),
  ),
  ['tu hom qua', 'Từ hôm qua', 1], ['tu toi qua', 'Từ tối qua', 1], ['tu dem qua', 'Từ đêm qua', 1],
];
/**
 * Times that are one only as the whole answer to "when?": in a story folded "tháng này" is also "thằng
 * này" (this guy).
 */
const ANSWER_ONLY: ReadonlyArray<readonly [string, string]> = [['thang nay', 'Tháng này']];
/** Words of the present: beside a past time ("năm ngoái bị…, giờ lại…") there are two times. */
const NOW = ['bay gio', 'gio lai', 'gio van', 'hien gio', 'hien nay', 'dao nay', 'gan day', 'van con', 'van dang'];
/** Harm told as going on for a while: no single time to record. */
const REPEATED = ['ngay nao cung', 'thuong xuyen', 'nhieu lan', 'suot', 'lien tuc', 'hang ngay', 'tu nam', 'tu thang', 'tu hoi', 'lau nay'];

/** After "lên N" these make N a number of something else ("lên 2 lần", "lên 5 cân", "lên 3 tầng"), not an age. */
const NOT_YEARS = new Set(['lan', 'tang', 'lop', 'cap', 'can', 'kg', 'ky', 'ki', 'cm', 'met', 'km', 'do', 'diem', 'xe', 'nguoi', 'gio', 'phut', 'ngay', 'tuan', 'thang', 'nam', 'tuoi']);

/** "mới lên 3", "lên ba": the age a child has just reached, as people say it without "tuổi". */
function reachedAge(t: readonly string[], i: number): number | undefined {
  if (t[i] !== 'len') return undefined;
  const digits = /^\d{1,2}$/.test(t[i + 1] ?? '') ? 1 : 0;
  const spelt = digits ? 0 : [2, 1].find((k) => numberFromWords(t.slice(i + 1, i + 1 + k).join(' ')) !== undefined) ?? 0;
  const k = digits || spelt;
  if (!k || NOT_YEARS.has(t[i + 1 + k] ?? '')) return undefined;
  const n = digits ? Number(t[i + 1]) : numberFromWords(t.slice(i + 1, i + 1 + k).join(' '));
  return n !== undefined && n > 0 && n < 18 ? n : undefined;
}

/** The ages under 18 the text gives, each once, in order ("1 đứa 5 tuổi, 1 đứa 3 tuổi": 5 and 3). */
function agesIn(t: readonly string[]): string[] {
  const found = new Set<string>();
  t.forEach((w, i) => {
    const reached = reachedAge(t, i);
    if (reached !== undefined) found.add(`${reached} tuổi`);
    if (w !== 'tuoi') return;
    const months = t[i - 1] === 'thang';
    const end = months ? i - 1 : i;
    const digits = /^\d{1,2}$/.test(t[end - 1] ?? '') ? Number(t[end - 1]) : undefined;
    // A range ("10 12 tuổi", "10-12 tuổi") is no one age.
    if (digits !== undefined && /^\d+$/.test(t[end - 2] ?? '')) return;
    const n = digits ?? [2, 1].map((k) => numberFromWords(t.slice(end - k, end).join(' '))).find((x) => x !== undefined);
    if (n === undefined || n <= 0) return;
    if (months) {
      if (n < 24) found.add(`${n} tháng tuổi`);
      return;
    }
    // "6 và 9 tuổi", "5, 7 và 10 tuổi": the ages listed before the last one (the comma is gone from the tokens).
    const listed: number[] = [];
    for (let j = end - 2; digits !== undefined; ) {
      const joined = LIST_JOINS.has(t[j] ?? '') && /^\d{1,2}$/.test(t[j - 1] ?? '');
      const before = !joined && listed.length > 0 && /^\d{1,2}$/.test(t[j] ?? '');
      if (!joined && !before) break;
      listed.unshift(Number(t[joined ? j - 1 : j]));
      j -= joined ? 2 : 1;
    }
    for (const m of listed) if (m > 0 && m < 18) found.add(`${m} tuổi`);
    if (n < 18) found.add(t[i + 1] === 'ruoi' ? `${n} tuổi rưỡi` : `${n} tuổi`);
  });
  return [...found];
}

/** What joins ages in a list ("6 và 9 tuổi", "6 với 9 tuổi"); a comma is gone from the tokens. */
const LIST_JOINS: ReadonlySet<string> = new Set(['va', 'voi', 'hoac', 'cung']);

/** The one age under 18 the story gives, or none when it gives none or several. */
function oneAge(t: readonly string[]): string | undefined {
  const found = agesIn(t);
  return found.length === 1 ? found[0] : undefined;
}

/** The ages of several children given as the answer to "how old?" ("1 đứa 5 tuổi, 1 đứa 3 tuổi"): "5 tuổi, 3 tuổi". */
export function severalAges(text: string): string | undefined {
  const found = agesIn(tokens(text));
  return found.length > 1 ? found.join(', ') : undefined;
}

function readSex(text: string, t: readonly string[], original: string): StoryFacts['sex'] {
  const kin = (phrases: readonly string[]): boolean =>
    t.some((w, i) => phrases.includes(`${w} ${t[i + 1] ?? ''}`) && OWNERS.has(t[i + 2] ?? '') && t.slice(i + 3, i + 9).some((x) => x === 'bi' || x === 'tuoi'));
  const boy = BOY.some((p) => hasPhrase(text, p)) || kin(KIN.nam) || BOY_MARKED.test(original);
  const girl = GIRL.some((p) => hasPhrase(text, p)) || kin(KIN.nu) || GIRL_MARKED.test(original);
  return boy === girl ? undefined : boy ? 'nam' : 'nu';
}

/**
 * "năm nay 14 tuổi", "năm nay mới lên 7", "năm nay học lớp 6": "năm nay" that says how old the child is
 * now, not when anything happened (the time question was then passed over as "Năm nay").
 */
const AGE_THIS_YEAR = /(?:^| )nam nay(?= (?:(?:moi|da|vua|chi|duoc|tron|khoang|tam|chung|hoc|len|dang) )*(?:\d{1,2} tuoi|[a-z]+ tuoi|[a-z]+ [a-z]+ tuoi|lop|len|\d{1,2}$))/g;

/** The one time the text tells, as [folded wording, stored wording, days before]. */
function toldTime(folded: string): (typeof WHEN)[number] | undefined {
  const text = folded.replace(AGE_THIS_YEAR, ' _');
  if (REPEATED.some((p) => hasPhrase(text, p))) return undefined;
  const found = WHEN.filter(([p]) => hasPhrase(text, p));
  // "từ hôm qua" is one time, not "từ hôm qua" and "hôm qua".
  const times = found.filter(([p]) => !found.some(([q]) => q !== p && hasPhrase(q, p)));
  const told = times.length === 1 ? times[0] : undefined;
  // A span from a past time ("từ hôm qua tới giờ") reaches the present by itself.
  const past = told && !told[0].startsWith('tu ') && !hasPhrase(told[0], 'nay') && !hasPhrase(told[0], 'gio');
  if (past && NOW.some((p) => hasPhrase(text, p))) return undefined;
  return told;
}

/**
 * Words that say when, in any wording (future and approximate times too: "sáng mai", "khoảng 3 giờ",
 * "đầu tháng", "20/11"). Folded words that are also other words stand only in a phrase: "tôi" (I) is not
 * "tối", "năm" may be five, "đau" is not "đầu".
 */
const TIME_WORDS = words(
  // "qua" only after a word of time ("hôm qua", "năm qua"): alone it is "bỏ qua" (skip), "đi qua".
  'hom', 'ngay', 'dem', 'sang', 'trua', 'chieu', 'khuya', 'tuan', 'thang', 'luc', 'gio', 'phut', 'vua', 'nay', 'nam qua', 'mai', 'kia', 'truoc', 'lau',
  'dang', 'sap', 'hoi', 'tet', 'mung', 'gan day', 'dao nay', 'hien nay', 'thu (?:hai|ba|tu|nam|sau|bay|\\d)', 'chu nhat', 'cn', 'buoi (?:toi|sang|trua|chieu)', 'toi (?:qua|nay|hom|mai|kia|nao cung)',
  'nam (?:ngoai|nay|truoc|roi|\\d{4})', '(?:dau|cuoi|giua) (?:tuan|thang|nam)', '\\d{1,2}(?:h|g)\\d{0,2}',
  // A date ("20 11", "20/11/2025" folded); "6 7 tuổi" is a range of ages.
  '\\d{1,2} \\d{1,2}(?: \\d{2,4})?(?! tuoi| thang)',
);
const NOW_WORDS = words('bay gio', 'hien gio', 'ngay luc nay');

/**
 * Time words as written with their marks: typed with other marks they are other words, "thằng Bin"
 * (not tháng), "sang nhà" typed "sang" stays both, "đau quá" (not qua).
 */
const TIME_SPELLINGS: Readonly<Record<string, readonly string[]>> = {
  thang: ['tháng'], sang: ['sáng'], gio: ['giờ'], qua: ['qua'], nay: ['nay', 'nãy', 'này'], hom: ['hôm'], ngay: ['ngày'], dem: ['đêm'],
  trua: ['trưa'], chieu: ['chiều'], tuan: ['tuần'], luc: ['lúc'], phut: ['phút'], vua: ['vừa'], mai: ['mai'], kia: ['kia', 'kìa'],
  truoc: ['trước'], lau: ['lâu'], dang: ['đang'], sap: ['sắp'], hoi: ['hồi'], toi: ['tối'], nam: ['năm'], mung: ['mùng', 'mồng'],
};

/** The normalised words of `text`, with a name or a time word typed with other marks ("thằng") as "_". */
function timeTokens(text: string): string[] {
  // "Tùng và Mai": a capitalised word after a lowercase one is a name, not "mai" (tomorrow).
  const named = text.normalize('NFC').replace(/(?<=\p{Ll}[\p{L}\p{M}]*\s+)\p{Lu}\p{Ll}[\p{L}\p{M}]*/gu, '_');
  return tokenise(named).map(({ word, marked }) => {
    const spellings = marked === undefined ? undefined : TIME_SPELLINGS[word];
    return spellings && !spellings.includes(marked as string) ? '_' : word;
  });
}

/** Whether the text says when at all (not which time: "sáng mai đưa đi" says when, "ẩn danh" does not). */
export function mentionsTime(text: string): boolean {
  return TIME_WORDS.test(timeTokens(text).join(' '));
}

/**
 * A time word besides "đang": typed at another question, "e đang ở nhà bạn" tells where the child is now,
 * not when it happened (harm going on, "nó đang bị đánh", is read as now by the story itself).
 */
export function mentionsTimeBesidesNow(text: string): boolean {
  return TIME_WORDS.test(timeTokens(text).map((w) => (w === 'dang' ? '_' : w)).join(' '));
}

/** Words around a time given as an answer ("dạ tuần này ạ", "à tối qua", "khoảng hôm kia"): they change nothing. */
const AROUND_TIME = /^(?:(?:a|u|o|da|vang|nham|khoang|tam|chung|chac|hinh nhu|co le|la) )*(.+?)(?: (?:a|nhe|nha|day|thi phai))*$/;

/**
 * The answer to "when?" written properly when it is nothing but a time of the list: "tuaan nay" (Telex
 * left on), "tuan nay", "dạ tuần này ạ" are "Tuần này"; anything more ("tuần này, tối thứ 3") is kept as typed.
 */
export function timeAnswer(text: string): string | undefined {
  const said = AROUND_TIME.exec(timeTokens(text).join(' '))?.[1];
  const listed = (p: string | undefined) => [...WHEN, ...ANSWER_ONLY].find(([q]) => q === p)?.[1];
  // "tu tuan truoc": since a time of the list.
  const since = said?.startsWith('tu ') ? listed(said.slice(3)) : undefined;
  return listed(said) ?? (since && `Từ ${since.charAt(0).toLowerCase()}${since.slice(1)}`) ?? spelledTime(text);
}

/**
 * Time words typed without marks, as the summary shows them written ("khoang 3 gio chieu qua": "Khoảng 3
 * giờ chiều qua"): the reporter and the officers read that line. Only a text made of these words alone,
 * with no mark typed, is spelled; anything else is kept as typed.
 */
const SPELLED: Readonly<Record<string, string>> = {
  hom: 'hôm', ngay: 'ngày', dem: 'đêm', sang: 'sáng', trua: 'trưa', chieu: 'chiều', toi: 'tối', khuya: 'khuya', tuan: 'tuần', thang: 'tháng',
  nam: 'năm', luc: 'lúc', gio: 'giờ', phut: 'phút', qua: 'qua', kia: 'kia', mai: 'mai', truoc: 'trước', sau: 'sau', vua: 'vừa', moi: 'mới',
  roi: 'rồi', lau: 'lâu', hoi: 'hồi', tu: 'từ', den: 'đến', khoang: 'khoảng', tam: 'tầm', chung: 'chừng', cach: 'cách', day: 'đây',
  dau: 'đầu', cuoi: 'cuối', giua: 'giữa', thu: 'thứ', chu: 'chủ', nhat: 'nhật', buoi: 'buổi', som: 'sớm', muon: 'muộn', tet: 'Tết',
  mung: 'mùng', may: 'mấy', hai: 'hai', ba: 'ba', bon: 'bốn', bay: 'bảy', chin: 'chín', muoi: 'mười', ruoi: 'rưỡi', kem: 'kém', gan: 'gần',
  hon: 'hơn', va: 'và', hoac: 'hoặc', hay: 'hay', hien: 'hiện', bua: 'bữa', ca: 'cả', dao: 'dạo', dot: 'đợt', nua: 'nữa',
};
/** After these "nay" is "này" ("tuần này", "dạo này"); elsewhere "nay" ("hôm nay", "năm nay"). */
const NAY_AFTER: ReadonlySet<string> = new Set(['tuan', 'thang', 'luc', 'dao', 'bua', 'hoi', 'dot']);
const NEXT_AFTER: ReadonlySet<string> = new Set(['tuan', 'thang', 'nam']);
/** After "thứ" a day's number word: "thứ tư", "thứ năm", "thứ sáu". */
const WEEKDAY: Readonly<Record<string, string>> = { tu: 'tư', nam: 'năm', sau: 'sáu', bay: 'bảy', hai: 'hai', ba: 'ba' };
const TIME_NUMBER = /^(?:\d{1,2}(?:h|g)?\d{0,2}|\d{1,2}[/.-]\d{1,2}(?:[/.-]\d{2,4})?)$/;

function spelledTime(text: string): string | undefined {
  const typed = text.normalize('NFC').trim();
  if (!/^[a-z0-9 ,./:-]+$/i.test(typed) || !mentionsTime(typed)) return undefined;
  const parts = typed.toLowerCase().split(/\s+/);
  const out: string[] = [];
  for (const [i, part] of parts.entries()) {
    const [, word = '', tail = ''] = /^([^,.]*)([,.]*)$/.exec(part) ?? [];
    const before = parts[i - 1]?.replace(/[,.]+$/, '') ?? '';
    const spelt =
      TIME_NUMBER.test(word) ? word
      : word === 'nay' ? (NAY_AFTER.has(before) ? 'này' : 'nay')
      // "tuần tới", "tháng tới": next; elsewhere "tối" ("tối qua").
      : word === 'toi' && NEXT_AFTER.has(before) ? 'tới'
      : before === 'thu' && WEEKDAY[word] ? WEEKDAY[word]
      : word === 'nhat' && before !== 'chu' ? undefined
      : SPELLED[word];
    if (spelt === undefined) return undefined;
    out.push(spelt + tail);
  }
  const spelled = out.join(' ');
  return spelled.charAt(0).toUpperCase() + spelled.slice(1);
}

/**
 * Words that answer a question of the report on their own: a time's, an age's ("bé 6 tuổi"), a sex's
 * ("con trai"), and the small words around an answer ("dạ", "ạ", "khoảng", "thì phải").
 */
const ANSWER_WORDS: Readonly<Record<string, readonly string[]>> = {
  ...Object.fromEntries(Object.entries(SPELLED).map(([w, spelt]) => [w, [spelt.toLowerCase()]])),
  ...spellingsOf('nay:nay,này,nãy', 'toi:tối,tới,tôi', 'nam:năm,nam', 'tu:từ,tư', 'sau:sau,sáu', 'h', 'g', 'cn', 'dang:đang', 'sap:sắp', 'gio:giờ',
    'tuoi:tuổi', 'be:bé', 'chau:cháu', 'con', 'thang:tháng,thằng', 'dua:đứa', 'trai', 'gai:gái', 'nu:nữ', 'nho:nhỏ,nhớ', 'no:nó',
    'a:ạ,à,a', 'da:dạ', 'vang:vâng', 'u:ừ', 'o:ở', 'la:là', 'thi:thì', 'phai:phải', 'nhe:nhé', 'nha', 'day:đây,đấy', 'do:đó,đấy', 'thoi:thôi',
    'chac:chắc', 'hinh:hình', 'nhu:như', 'co:có', 'le:lẽ', 'vao:vào', 'khi', 'em', 'minh:mình', 'nhi:nhỉ', 'ha:hả', 'ma:mà'),
};
/** "toi:tối,tới,tôi" → toi: [tối, tới, tôi]; a word alone is its own spelling. */
function spellingsOf(...specs: string[]): Record<string, readonly string[]> {
  return Object.fromEntries(specs.map((spec) => {
    const [w, spelt] = spec.split(':') as [string, string | undefined];
    return [w, spelt ? spelt.split(',') : [w]];
  }));
}

/**
 * A message that says when and tells something more ("tuần sau là cưới rồi", "sáng mai nhà trai sang
 * đón"): more of the story, not the answer to "when?" typed ahead ("tối qua khoảng 9h", "hôm qua, bé 6
 * tuổi" are answers). A word typed with its marks counts as an answer's only spelled as one ("cưới" is
 * no "cuối").
 */
export function timeAndMore(text: string): boolean {
  return mentionsTimeBesidesNow(text) && !ASKED_BACK.test(text.trim()) && !ASKED_BACK.test(tokens(text).join(' ')) && !answerWordsOnly(text);
}

/** A question back ("mình đang hỏi gì ấy nhỉ", "hôm qua hỏi đến đâu rồi?"): no story. */
const ASKED_BACK = /\?$|(?:^| )(?:nhi|khong|chua|ha|sao|gi|the nao|nhu the nao)$/;

/** Whether every word answers one of the report's questions ("tối qua", "cháu mới 8 tuổi", "bé gái ạ"). */
export function answerWordsOnly(text: string): boolean {
  return tokenise(text).every(({ word, marked }) => {
    if (/^\d/.test(word)) return true;
    const spellings = ANSWER_WORDS[word];
    return spellings !== undefined && (marked === undefined || spellings.includes(marked));
  });
}

/** Folded "đáng thương", "đáng sợ", "đáng lo": not "đang" (now). */
const NOT_NOW_AFTER = new Set(['thuong', 'so', 'lo', 'ghet', 'trach', 'ke', 'tien', 'yeu', 'gia', 'ngai', 'tiec', 'chu']);

/** Whether the text tells of now ("nó đang bị nhốt", "bây giờ"), and not that the child is safe now ("giờ cháu ổn rồi"). */
export function tellsNow(text: string): boolean {
  const toks = tokenise(text);
  const t = toks.map((x) => x.word).join(' ');
  if (settled(t)) return false;
  if (NOW_WORDS.test(t)) return true;
  // "đang" typed with its marks is now, "đáng" is not; typed without, as many type most words even when
  // they mark a few ("dang lang thang ngoai cho, khoc quá"), it is now unless a word of "đáng …" follows.
  return toks.some((x, i) => x.word === 'dang' && (x.marked !== undefined ? x.marked === 'đang' : !NOT_NOW_AFTER.has(toks[i + 1]?.word ?? '')));
}

/**
 * How many days before the report a time told means ("hôm nay", "từ sáng tới giờ", "Đang xảy ra": 0;
 * "tối qua": 1; "hôm kia": 2), so the record can carry the date; undefined for a vaguer time.
 */
export function daysBefore(when: string): number | undefined {
  const t = tokens(when).join(' ');
  return t === 'dang xay ra' ? 0 : toldTime(t)?.[2];
}

/**
 * "<the child> tên (là) <Name>": a child word right before "tên" (with at most "tôi", "em", "mình", "nó",
 * "ấy" after it), then capitalised words. The one who did the harm is never named this way: "thằng đó
 * tên Tuấn" or "con trai nhà bà Lan tên Tuấn" have no child word right before "tên". "em tên Lan" is
 * how a grown-up names themself, so "em" is no child word here.
 */
const CHILD_NAMED = new RegExp(
  '(?:^|[\\s,.;:!?(])(?:con|cháu|chau|bé|be|thằng bé|thang be|con bé|cô bé|co be|cậu bé|cau be|đứa bé|dua be|đứa nhỏ|dua nho|con gái|con gai|con trai|cháu gái|chau gai|cháu trai|chau trai)' +
    '(?:\\s+(?:tôi|toi|em|mình|minh|nó|no|ấy|ay))?\\s+(?:tên|ten)(?:\\s+(?:là|la))?\\s+',
  'giu',
);
/**
 * "con bé Lan", "bé Na", "cu Tèo": a word only a child is called by, then capitalised words, the name as
 * people write it in a story. Without "tên" only these words count: "cháu", "con" and "em" are also how
 * the writer speaks of themself, and "thằng" is as often the man who did the harm ("thằng Tuấn đánh").
 */
const CHILD_CALLED = /(?:^|[\s,.;:!?(])(?:con bé|bé|be|cu|cô bé|cậu bé|bé gái|bé trai)\s+/giu;
/** Capitalised words, as a name is written (case-sensitive, unlike the words before it). */
const NAME = /^\p{Lu}\p{Ll}*(?:\s+\p{Lu}\p{Ll}*){0,3}/u;

function childName(original: string): string | undefined {
  const names = new Set<string>();
  for (const m of [...original.matchAll(CHILD_NAMED), ...original.matchAll(CHILD_CALLED)]) {
    const name = NAME.exec(original.slice(m.index + m[0].length))?.[0];
    if (name) names.add(name);
  }
  return names.size === 1 ? [...names][0] : undefined;
}

/**
 * "nó học lớp 3", "bé lớp 2", "e năm nay lớp 6": the class a child is in says about how old (lớp 1 at
 * six), when no age is told. Kept with the age it makes: "khoảng 8 tuổi (lớp 3)". Two classes ("con tôi
 * lớp 2, bị bạn lớp 5 đánh") say no one age.
 */
const FIRST_CLASS_AGE = 6;
const LAST_CLASS = 12;
function classAge(t: readonly string[]): string | undefined {
  const classes = new Set<number>();
  t.forEach((w, i) => {
    const next = t[i + 1] ?? '';
    const n = w === 'lop' ? (/^\d{1,2}$/.test(next) ? Number(next) : numberFromWords(next)) : undefined;
    if (n !== undefined && n >= 1 && n <= LAST_CLASS) classes.add(n);
  });
  const [n] = classes;
  return classes.size === 1 && n !== undefined ? `khoảng ${n + FIRST_CLASS_AGE - 1} tuổi (lớp ${n})` : undefined;
}

/** Reads the child's age and sex and the time from one text of the story (any form: NFD, no diacritics…). */
export function readStoryFacts(text: string): StoryFacts {
  const t = tokens(text);
  const joined = t.join(' ');
  const facts: StoryFacts = {};
  const age = oneAge(t) ?? classAge(t);
  if (age) facts.age = age;
  const sex = readSex(joined, t, text.normalize('NFC'));
  if (sex) facts.sex = sex;
  const when = toldTime(joined)?.[1];
  if (when) facts.when = when;
  const name = childName(text.normalize('NFC'));
  if (name) facts.name = name;
  return facts;
}
