/**
 * Concern marks: what someone said to a child, told in the message ("có tài khoản lạ nhắn cho mấy học
 * sinh, hỏi nhà ở đâu", "hắn dặn cháu không được nói với ai"). The question is the stranger's, not the
 * writer's, so such a message tells of a child approached, not a question for the service. A mark makes
 * the message a concern (it starts a report) and is a feature of the models; unlike a severity cue
 * (cues.ts) it does not raise urgency by itself. Patterns run on normalised text (normalise.ts).
 */
import { words } from './pattern.js';

export interface Mark {
  id: string;
  pattern: RegExp;
}

// Someone other than the writer: a stranger, an account, "he" (folded "han" is also hắn).
const SOMEONE =
  '(?:nguoi (?:la|nao do|do|kia|quen tren mang)|tai khoan(?: la| ao| gia|)|nick(?: la| ao|)|ai do|ong (?:ta|kia|do|ay)|anh (?:ta|kia|do|ay)|chu (?:kia|do|ay)|han|thang (?:do|kia|cha|cha do)|ke (?:la|do)|mot (?:nguoi|ong|anh|chu|thang|ga|tai khoan|nick|so la))';
// What is asked of a child to find it or get it alone: where it lives, when it is alone, a photo.
const PERSONAL =
  '(?:nha o dau|o dau|song o dau|ten (?:gi|la gi)|may tuoi|hoc (?:truong|lop) (?:nao|may)|so dien thoai|dia chi|(?:co |)o nha mot minh|mot minh (?:khong|chua)|bo me (?:di|lam|ve)|may gio (?:bo|me|ve)|co (?:nguoi yeu|ban trai|ban gai)|(?:gui|xin|chup) (?:anh|hinh|clip))';
// The writer's own question ("cho hỏi", "xin hỏi", "tôi muốn hỏi") is not someone else's.
const NOT_WRITER = '(?<!(?:^| )(?:cho|xin|toi|minh|muon|can|tui|ban|hay|de) )';
// The secret a groomer asks for.
const SECRET = '(?:khong duoc|dung|cam|khong nen|chang duoc) (?:noi|ke|bao|cho (?:ai|bo me) biet)(?: (?:voi|cho)|) (?:ai|bo me|bo|me|ba|ma|nguoi lon|thay co|co giao|gia dinh|nguoi nha)';

export const MARKS: readonly Mark[] = [
  {
    id: 'stranger_asks',
    pattern: new RegExp(
      `(?:^| )${SOMEONE}(?: [a-z0-9]+){0,10} (?:hoi|doi|xin|hoi han|tra hoi)(?: [a-z0-9]+){0,4} ${PERSONAL}(?= |$)` +
        `|(?:^| )${NOT_WRITER}hoi (?:(?:em|chau|con|be|no|may dua|hoc sinh|tui nho)(?: [a-z0-9]+){0,3} |)${PERSONAL}(?= |$)`,
    ),
  },
  {
    id: 'secret',
    pattern: words(`(?:dan|bao|noi|bat|doa|ep|hua)(?: [a-z0-9]+){0,3} ${SECRET}`),
  },
  {
    id: 'stranger_invites',
    pattern: new RegExp(`(?:^| )${SOMEONE}(?: [a-z0-9]+){0,8} (?:ru|du|ru re|loi keo|hen|hua (?:cho|mua|tang))(?= |$)`),
  },
];

/** The marks present in `normalised` text. */
export function firedMarks(normalised: string): Mark[] {
  return MARKS.filter((m) => m.pattern.test(normalised));
}
