/**
 * The child's name as people type it, at its own question or before it: "thằng Bin", "con bé Lan",
 * "bé Na", "cháu tên là Lò Thị Hoa ạ", "tên nó là Tí". The words for a child, "tên (là)" and a polite
 * ending are not part of the name.
 */
import { readStoryFacts } from '../../nlu/story-facts.js';
import { foldWords } from '../../text/vietnamese.js';
import type { TurnContext } from '../turn.js';
import { spoken, type ReportDraft } from './draft.js';

/** A child word before the name: "thằng Bin", "con bé Lan", "bé Na", "cháu gái Hoa", "cu Tí". */
const CHILD = '(?:(?:thang|con|cai|co|cau|dua) (?:be|nho|cu)|(?:be|chau|con|em) (?:trai|gai)|thang|cai|be|chau|cu|em|con)';
/** Saying it is the name: "tên nó là", "cháu tên", "tên là", "gọi là". */
const TOLD = '(?:ten (?:cua )?(?:no|chau|be|em|con)|(?:no|chau|be|em|con) ten|ten goi|ten|goi)(?: la)?';
const TYPED_NAME = new RegExp(`^(?:(${CHILD}) )?(?:(${TOLD}) )?(.+?)((?: (?:a|nhe|nha|day|do|ay|thoi|roi|ha))*)$`);
/** Polite endings as typed, so "nhà" (house) is not taken for "nha". */
const ENDINGS = new Set(['ạ', 'a', 'nhé', 'nhe', 'nha', 'đấy', 'day', 'đó', 'do', 'ấy', 'ay', 'thôi', 'thoi', 'rồi', 'roi', 'ha', 'hả']);
const NAME_WORDS = 4;
/** A name typed before its question comes in a message this short. */
const EARLY_WORDS = 7;
/** The questions about the child, where a name typed is the child's (at "who harmed?" it may be theirs). */
const CHILD_STEPS = new Set(['when', 'age', 'sex', 'danger']);

const count = (words: string | undefined): number => (words ? words.trim().split(' ').length : 0);

/**
 * The name in a short message, or undefined when nothing around a name was typed (the text is then
 * taken as it is, "K.H.", "Minh"). At the name's own question whatever is left is the name; at another
 * question only one said to be the name ("tên nó là …") or written as one after a child word ("thằng
 * Bin"), so "có, thằng đó vẫn ở nhà" names nobody.
 */
export function typedName(text: string, atItsQuestion: boolean): string | undefined {
  const words = text.normalize('NFC').split(/[^\p{L}\p{N}\p{M}]+/u).filter(Boolean);
  const folded = foldWords(text);
  const m = folded.split(' ').length === words.length ? TYPED_NAME.exec(folded) : null;
  if (!m) return undefined;
  const [, child, told, rest, tail] = m;
  const ended = count(tail) > 0 && words.slice(words.length - count(tail)).every((w) => ENDINGS.has(w.toLowerCase()));
  const from = count(child) + count(told);
  const name = words.slice(from, from + count(rest) + (ended ? 0 : count(tail)));
  if (name.length === 0 || name.length > NAME_WORDS || !(child || told || ended)) return undefined;
  if (!atItsQuestion && !told && !(child && name.every((w) => /^\p{Lu}/u.test(w)))) return undefined;
  return name.join(' ');
}

/**
 * The child's name typed at another of the child's questions ("tên nó là Bin" at "how old?"): kept, so
 * the name question is passed over, and the question asked again. A child word that says a boy or a
 * girl ("thằng Bin", "con bé Lan") answers that too.
 */
export function childNameGivenEarly(d: ReportDraft, ctx: TurnContext, step: string): string | undefined {
  if (!CHILD_STEPS.has(step) || d.childName !== undefined || ctx.text.split(/\s+/).length > EARLY_WORDS) return undefined;
  const name = typedName(ctx.text, false);
  if (!name) return undefined;
  d.childName = name;
  d.childSex ??= readStoryFacts(ctx.text).sex;
  return spoken(d, `Mình đã ghi tên trẻ: ${name}.`, `Mình đã ghi tên em: ${name}.`);
}

/**
 * "Không biết tên, chỉ biết là con ông Tuấn bán thịt chó": the name is not known, and what the person
 * knows the child by is kept in its place, without the words saying the name is not known.
 */
const NOT = new Set(['ko', 'k', 'khong', 'kh', 'chua', 'hong', 'hem']);
const KNOW = new Set(['biet', 'ro', 'nho']);
const SPEAKER = new Set(['em', 'e', 'toi', 'minh', 'mk', 'a', 'da', 'cung']);
const ONLY = new Set(['chi', 'nhung', 'ma']);
const HEARD = new Set(['biet', 'thay', 'nghe', 'noi']);
const WHOSE = new Set(['no', 'chau', 'be', 'em']);
export function knownBy(text: string): string | undefined {
  const words = text.normalize('NFC').split(/[^\p{L}\p{N}\p{M}]+/u).filter(Boolean);
  const t = foldWords(text).split(' ');
  if (t.length !== words.length) return undefined;
  let i = 0;
  const skip = (set: ReadonlySet<string>): void => {
    while (i < t.length && set.has(t[i] as string)) i++;
  };
  skip(SPEAKER);
  if (!NOT.has(t[i] ?? '') || !KNOW.has(t[i + 1] ?? '')) return undefined;
  i += 2;
  if (t[i] === 'ten') i += t[i + 1] === 'goi' ? 2 : 1;
  if (WHOSE.has(t[i] ?? '')) i++;
  skip(new Set(['a', 'nua']));
  // "chỉ biết là", "nghe nói là", "nhưng nó là": the words leading to what is known.
  skip(ONLY);
  skip(HEARD);
  if (WHOSE.has(t[i] ?? '') && t[i + 1] === 'la') i++;
  if (t[i] === 'la') i++;
  const rest = words.slice(i);
  return rest.length > 0 && !rest.every((w) => ENDINGS.has(w.toLowerCase())) ? rest.join(' ') : undefined;
}
