/**
 * The reporter's own contact, asked at the end of a report: anonymous by default. People answer the
 * way they would on the phone ("để lại sđt nhé", "chị Mai 0912 345 678", "thôi khỏi"), so a phone
 * number or a name typed at any of these steps is taken where it stands and not asked for again.
 */
import { AGREE } from '../../messaging/choices.js';
import { fold, hasPhrase, leadingAnswer, noAnswer } from '../../text/vietnamese.js';
import type { Step } from '../flow.js';
import type { TurnContext } from '../turn.js';
import { spoken, type ReportDraft } from './draft.js';
import { hearStory } from './story.js';

const ANONYMOUS = { label: 'Báo ẩn danh', value: 'anonymous', aliases: ['an danh', 'khong', 'ko', 'k', 'thoi', 'thoi khoi', 'khoi'] };
const CONTACT = { label: 'Để lại liên hệ', value: 'contact', aliases: [...AGREE, 'de lai'] };

/** Words that ask to stay unnamed, checked before the words that ask to be called ("không để lại"). */
const STAY_ANONYMOUS = ['an danh', 'khong can', 'khong muon', 'khong de', 'khoi', 'thoi', 'giu kin', 'giau ten'];
const BE_CALLED = ['de lai', 'lien he', 'lien lac', 'goi lai', 'goi cho', 'goi dien', 'sdt', 'so dien thoai', 'so dt', 'dien thoai', 'zalo'];

/**
 * Words said around a name or number ("sđt của em là …", "em tên …", "tôi là mẹ cháu"), longest first. A word typed with
 * its marks must match them ("Lã" is a name, "là" is not); one typed without marks matches any.
 */
const AROUND = ['số điện thoại', 'số đt', 'điện thoại', 'sđt', 'zalo', 'liên hệ', 'để lại', 'gọi lại', 'gọi cho', 'của em', 'của tôi', 'của mình', 'em tên', 'tôi tên', 'mình tên', 'tên em', 'tên tôi', 'tên mình', 'tên là', 'của', 'là', 'tên', 'số', 'nhé', 'nha', 'ạ', 'dạ', 'vâng', 'tôi', 'mình', 'tui', 'em',
  // chat shorthand: "số e 0912…", "sdt mk là …"
  'e', 't', 'mk'].map((p) => p.split(' '));
/** Kin named before the speaker ("mẹ em", "chồng tôi", "bà ngoại mk"): a number of theirs is the one to call. */
const KIN = new Set(['me', 'ma', 'bo', 'ba', 'cha', 'chong', 'vo', 'anh', 'chi', 'co', 'chu', 'di', 'cau', 'mo', 'bac', 'ong', 'thim', 'ngoai', 'noi', 'gai', 'trai']);
const SPEAKER = new Set(['em', 'e', 'toi', 't', 'minh', 'mk', 'tui', 'chau']);
const PHONE = /(?<!\d)(?:\+?84|0)[\d .-]{8,14}\d/g;
/**
 * "…, tên Lan", "tên tôi là Hoa", "em tên là Nguyễn Thị Hoa": the words after the name's own marker, up
 * to a comma or the end, are the name, whatever else the message says ("tôi là hàng xóm, số …"); "tên
 * cháu là …" names the child, not the reporter.
 */
const NAMED = /(?:^|[\s,.;:])(?:tên|ten)(?:\s+(?:của\s+|cua\s+)?(?:tôi|em|mình|toi|minh|chị|chi|anh))?(?:\s+(?:là|la))?\s+(?!(?:cháu|chau|bé|be|con|nó|no)\s)([^,.;:!?()\d]+)/iu;
const NAME_WORDS = 4;
/** A word of digits, dots and dashes in which an "o" or "l" was typed for 0 or 1 ("o9l2"). */
const DIGITS_TYPED = /(?<![\p{L}\p{N}])[\doOlI][\doOlI.-]*[\doOlI](?![\p{L}\p{N}])/gu;

/**
 * A Vietnamese phone number anywhere in the text ("0912 345 678", "+84 912.345.678", "84912345678",
 * "o9l2 345 678" with letters for digits, "(+84) 912…"), as 0 and 9–10 digits.
 */
export function findPhone(text: string): string | undefined {
  const typed = text
    .replace(DIGITS_TYPED, (w) => (/\d.*\d/.test(w) ? w.replace(/[oO]/g, '0').replace(/[lI]/g, '1') : w))
    .replace(/\((\+?84)\)/g, '$1');
  for (const m of typed.matchAll(PHONE)) {
    const digits = m[0].replace(/[\s.-]/g, '').replace(/^\+?84/, '0');
    if (/^0\d{9,10}$/.test(digits)) return digits;
  }
  return undefined;
}

/**
 * What is left of "sđt của chị Mai là 0912 345 678" once numbers and the words around them are taken
 * out: "chị Mai", as typed. Only a short rest can be a name.
 */
function nameIn(text: string): string | undefined {
  const named = NAMED.exec(text.replace(PHONE, ','))?.[1]?.trim().split(/\s+/);
  if (named?.length && named.length <= NAME_WORDS) return named.join(' ').slice(0, 100);
  const words = text.replace(PHONE, ' ').split(/[\s,.:;!?()]+/).filter(Boolean);
  const typed = words.map((w) => w.toLowerCase());
  const same = (w: string | undefined, marked: string): boolean => w !== undefined && (w === marked || (w === fold(w) && w === fold(marked)));
  const kept: string[] = [];
  for (let i = 0; i < words.length; ) {
    const filler = AROUND.find((p) => p.every((w, k) => same(typed[i + k], w)));
    if (filler) i += filler.length;
    else if (KIN.has(fold(typed[i] as string)) && SPEAKER.has(fold(typed[i + 1] ?? ''))) {
      // "số của mẹ em 09…": whose number it is ("mẹ em"), not a name "mẹ".
      kept.push(`${words[i]} ${words[i + 1]}`);
      i += 2;
    } else kept.push(words[i++] as string);
  }
  const name = kept.join(' ');
  return name.length >= 2 && kept.length <= 5 && /\p{L}/u.test(name) ? name.slice(0, 100) : undefined;
}

function readChoice(text: string, folded: string): 'contact' | 'anonymous' | undefined {
  if (STAY_ANONYMOUS.some((p) => hasPhrase(folded, p))) return 'anonymous';
  if (findPhone(text) || BE_CALLED.some((p) => hasPhrase(folded, p))) return 'contact';
  // "ko biết": undecided stays as the report starts, anonymous.
  const lead = noAnswer(text) ? 'no' : leadingAnswer(text);
  return lead === 'yes' ? 'contact' : lead === 'no' ? 'anonymous' : undefined;
}

/** A number said to be someone else's: "số đt của đứa bạn đó", "sdt bố nó", "zalo thằng đó". */
const OTHERS_NUMBER =
  /(?:^| )(?:so|sdt|so dt|so dien thoai|dien thoai|zalo|facebook|fb)(?: cua)? (?:no|dua|thang|con|bo|ba|me|ma|nguoi|ban|ong|han|ga|lao|nha|gia dinh|chong|vo|co giao|thay|chu|di|cau|mo|bac)(?: |$)/;

const CONTACT_STEPS = new Set(['contact', 'reporter-name', 'reporter-phone']);
/** Asking to stay unnamed in so many words, whatever the question ("ẩn danh", "em muốn giấu tên"). */
const ANONYMOUS_EARLY = /(?:^| )(?:an danh|giau ten|giu kin (?:ten|danh tinh))(?: |$)/;
/** Asking to be called back, whatever the question ("để lại số nhé", "cán bộ gọi lại cho em"). */
const CALLED_EARLY = /(?:^| )(?:de lai (?:so|sdt|so dt|so dien thoai|lien he|ten)|(?:goi lai|lien he lai|lien lac lai) (?:cho )?(?:em|toi|minh|chi|anh|tui))(?: |$)/;
const EARLY_WORDS = 6;

/**
 * The contact answer said in so many words at another question ("ẩn danh", "để lại số nhé", a phone
 * number), not a bare yes or no, which answers that question.
 */
export function contactChoiceTyped(text: string, folded: string): 'contact' | 'anonymous' | undefined {
  if (findPhone(text) || CALLED_EARLY.test(folded)) return 'contact';
  return ANONYMOUS_EARLY.test(folded) ? 'anonymous' : undefined;
}
/** More words than this, with a number in them, may be more of the story (a neighbour's number…). */
const CONTACT_WORDS = 12;

/**
 * The reporter's name and number given before they are asked ("chị Lan, gv chủ nhiệm, 0915 222 333"),
 * or "ẩn danh": kept, so the contact questions are passed over. Says so, or undefined when the text
 * gives neither.
 */
export function contactGivenEarly(d: ReportDraft, ctx: TurnContext, step: string): string | undefined {
  const text = ctx.text;
  if (CONTACT_STEPS.has(step) || text.split(/\s+/).length > CONTACT_WORDS) return undefined;
  const phone = findPhone(text);
  // "ẩn danh", "để lại số nhé" typed before the question: the answer to it, not the answer to this one.
  const early = !phone && d.wantsContact === undefined && text.split(/\s+/).length <= EARLY_WORDS;
  if (early && ANONYMOUS_EARLY.test(ctx.folded)) {
    d.wantsContact = false;
    return spoken(d, 'Mình ghi là bạn báo ẩn danh.', 'Mình ghi là em không để lại tên.');
  }
  if (early && CALLED_EARLY.test(ctx.folded)) {
    d.wantsContact = true;
    return spoken(d, 'Vâng, cuối báo cáo mình sẽ xin tên và số điện thoại của bạn.', 'Ừ, cuối cùng mình sẽ xin số điện thoại của em.');
  }
  if (!phone) return undefined;
  // "Em có số đt của đứa bạn đó 0977…": someone else's number is for the officers, in the story.
  if (OTHERS_NUMBER.test(ctx.folded)) {
    hearStory(d, text, ctx.understood);
    return spoken(d, 'Mình đã ghi số điện thoại đó vào lời kể của bạn.', 'Mình đã ghi số điện thoại đó vào lời em kể.');
  }
  d.wantsContact = true;
  d.reporterPhone = phone;
  d.reporterName ??= nameIn(text);
  return spoken(d, 'Mình đã ghi số điện thoại của bạn để cán bộ liên hệ lại.', 'Mình đã ghi số điện thoại của em để cán bộ gọi lại.');
}

export const contactStep: Step<ReportDraft> = {
  id: 'contact',
  answered: (d) => d.wantsContact !== undefined,
  prompt: (d) => ({
    text: spoken(
      d,
      'Bạn có muốn để lại tên và số điện thoại để cán bộ liên hệ lại không? Bạn có thể báo ẩn danh; thông tin của bạn chỉ cán bộ xử lý vụ việc được xem.',
      'Em có muốn để lại số điện thoại để cán bộ gọi cho em không? Em có thể không để lại; chỉ cán bộ xử lý vụ việc được xem.',
    ),
    choices: [ANONYMOUS, CONTACT],
  }),
  answer: (d, input) => {
    const choice = input.choice ?? readChoice(input.text, input.folded);
    if (!choice) return { error: 'Xin chọn "Báo ẩn danh" hoặc "Để lại liên hệ".' };
    d.wantsContact = choice === 'contact';
    d.reporterName = undefined;
    d.reporterPhone = undefined;
    if (d.wantsContact && !input.choice) {
      d.reporterPhone = findPhone(input.text);
      if (d.reporterPhone) d.reporterName = nameIn(input.text);
    }
    // A child telling of their own harm already gave their name as the child's.
    if (d.wantsContact && d.self) d.reporterName ??= d.childName;
    return {};
  },
};

export const nameStep: Step<ReportDraft> = {
  id: 'reporter-name',
  skip: (d) => !d.wantsContact,
  answered: (d) => Boolean(d.reporterName),
  prompt: (d) => ({ text: spoken(d, 'Tên của bạn là gì?', 'Tên em là gì?') }),
  answer: (d, input) => {
    // "thôi khỏi", "không muốn nói": the number is enough for a call back.
    if (noAnswer(input.text)) return {};
    const name = nameIn(input.text);
    if (!name) return { error: 'Xin gõ tên của bạn.' };
    d.reporterName = name;
    d.reporterPhone ??= findPhone(input.text);
    return {};
  },
};

export const phoneStep: Step<ReportDraft> = {
  id: 'reporter-phone',
  skip: (d) => !d.wantsContact,
  answered: (d) => Boolean(d.reporterPhone),
  prompt: () => ({ text: 'Số điện thoại để cán bộ gọi lại?' }),
  answer: (d, input, ctx) => {
    const phone = findPhone(input.text);
    // No number, no call back: the report goes without the name too.
    if (!phone && noAnswer(input.text)) {
      d.wantsContact = false;
      d.reporterName = undefined;
      ctx.reply(spoken(d, 'Vâng, mình ghi là bạn báo ẩn danh.', 'Ừ, mình ghi là em không để lại tên.'));
      return {};
    }
    if (!phone) return { error: 'Số điện thoại chưa đúng. Xin gõ lại, ví dụ 0912 345 678.' };
    d.reporterPhone = phone;
    return {};
  },
};
