/**
 * A child telling of harm done to themselves: "cứu em, bố em say rượu về đánh em", "con bị dượng sờ
 * người", "tớ bị bạn lớp trên đánh hội đồng". The conversation then speaks to the child (the 111 line is
 * theirs; go to a grown-up they trust) and the officers are told that the reporter may be the child,
 * whose phone the person who hurts them may read. Read where the wording is plain: the writer is the one
 * harmed ("… đánh em", "em bị …"), or gives their own age or class and names their own grown-ups ("em
 * năm nay lớp 6", "dượng em hay vào phòng em"), and names no other child ("cháu bé", "con tôi"). Patterns run on
 * normalised text (src/nlu/normalise.ts).
 */
import { tokens } from './normalise.js';
import { words } from './pattern.js';

/** How a child names themselves when writing to a grown-up. */
const ME = '(?:em|e|con|chau|to|minh|mk|tui)';
const HARM = '(?:danh|dam|tat|dap|chui|doa|de doa|nhot|troi|hiep|so mo|so nguoi|sam so|cuong|ep|bat nat|hanh ha|bao hanh|xam hai|dam o|cho an don|don)';
/** Grown-ups and others who hurt a child, as the child names them. */
const WHO = '(?:bo|me|cha|ba|ma|duong|bo duong|me ke|di ghe|chu|bac|cau|mo|anh|chi|ong|ba noi|ong noi|thay|co|ban|ban lop|nguoi ta|nguoi la|hang xom|ho|no)';

/** Touching words and the body parts they name, for "sờ vào ngực em". */
const TOUCH = '(?:so|so mo|sam|sam so|bop|nan|hon|om|cham|vuot ve)';
const BODY = '(?:nguoi|nguc|dui|mong|vung kin|cho kin|bo phan kin|quan|ao|mat|moi|co)';
/** After "em": "đánh em nó" is his little brother, "em bé" a baby. */
const NOT_ANOTHER = '(?! (?:no|ay|be|gai|trai|toi|minh|nho|ho|nha))';

const OWN_HARM = words(
  // "em bị bố đánh", "con đang bị dượng sờ người", "tớ hay bị bạn bắt nạt"
  `^(?:[a-z]+ ){0,3}${ME} (?:dang |hay |lai |vua |moi |thuong |cu |)bi (?:[a-z]+ ){0,3}${HARM}`,
  // "bố em say rượu về đánh em", "mẹ kế hay nhốt em" ("đánh em nó" is his little brother)
  `${WHO} (?:${ME} |)(?:[a-z]+ ){0,6}${HARM} ${ME}${NOT_ANOTHER}`,
  // "cứu em với, …" opening a message of harm
  `^(?:[a-z]+ ){0,2}cuu ${ME}`,
  // "chú ấy sờ vào ngực em", "dượng hay sờ người con": a touch on the writer's own body
  `${WHO} (?:[a-z]+ ){0,6}${TOUCH} (?:vao |len |)${BODY} (?:cua |)${ME}${NOT_ANOTHER}`,
);
/** "em 12 tuổi, …", "em là học sinh lớp 8, …": the writer gives their own age or class, in a message that tells of harm. */
const OWN_AGE = words(`^(?:[a-z]+ ){0,2}${ME} (?:nam nay |moi |)\\d{1,2} tuoi`, `^(?:[a-z]+ ){0,2}${ME} (?:nam nay |)(?:la |dang |)(?:hoc sinh |hoc |)lop \\d{1,2}`);
const ANY_HARM = words(HARM);
/** The writer's own grown-ups ("dượng em", "bố con", "mẹ kế của tớ"): with their own age or class given, the story is theirs. */
const OWN_KIN = words(`(?:bo|me|cha|ba|ma|duong|bo duong|me ke|di ghe|bo ke|chu|bac|cau|mo|di|ong|ba noi|ong noi|ba ngoai|ong ngoai) (?:cua |)${ME}${NOT_ANOTHER}`);

/** Another child named: the writer tells of someone else ("cháu bé nhà bên", "con tôi"). */
const OTHER_CHILD = words(
  'chau be', 'thang be', 'con be', 'be gai', 'be trai', 'dua be', 'dua nho', 'con nho', 'dua tre', 'tre', 'dua chau', 'chau gai', 'chau trai', 'chau nha',
  // ("mẹ con em" is the writer and their mother)
  `(?<!me )con (?:toi|em|e|minh|mk|tui|nha|chi|anh|co|chu|bac|ong|ba|hang xom)`, 'nha ben', 'nha canh',
  // "bé hàng xóm" is a child; "chú hàng xóm sờ vào người em" tells of the writer
  '(?:be|chau|dua|thang|con be) (?:nha |)hang xom',
  // "bạn cùng lớp em bị bố đánh": a friend, not the writer
  '(?:ban|ban cung lop|ban lop) (?:cua |)(?:em|con|to|minh) (?:[a-z]+ ){0,2}bi',
);

/** A first message in which the writer tells of harm done to themselves. */
export function tellsOwnHarm(text: string): boolean {
  const t = tokens(text).join(' ');
  return (OWN_HARM.test(t) || givesOwnAge(t)) && !OTHER_CHILD.test(t);
}

/**
 * A story told over several messages whose first gives the writer's own age or class ("em năm nay lớp
 * 6" … "dượng em hay vào phòng em"). Only this: "cháu bị đánh đau" typed at "what happened?" after
 * /baocao is as often a grown-up's grandchild as the writer.
 */
export function tellsOwnStory(story: string): boolean {
  const t = tokens(story).join(' ');
  return givesOwnAge(t) && !OTHER_CHILD.test(t);
}

function givesOwnAge(t: string): boolean {
  return OWN_AGE.test(t) && (ANY_HARM.test(t) || OWN_KIN.test(t));
}
