/**
 * A question about children in general, or about what to do if something happened: "nếu con tôi bị bắt
 * nạt thì báo ở đâu", "trẻ bị bạo hành thì gọi số nào". Such a message names a child and a harm but tells
 * of none: like news that a child is back (cues.ts `settled`), a severity cue in it does not by itself
 * make it a concern, and it is a feature of the models, which decide (docs/classifier.md). A question
 * that tells something that happened ("con tôi bị bố đánh, hôm qua lại đánh nữa, báo ở đâu") is not one:
 * the frame opens the message, and what was told cancels it. Patterns run on normalised text.
 */
import { words } from './pattern.js';

// "Cho em hỏi", "mọi người ơi cho hỏi", "tôi muốn hỏi": the writer's own question before it.
const OPENING = '^(?:(?:(?:cho|xin)(?: toi| em| minh| chau| tui|)|toi|em|minh|tui)(?: muon|) hoi (?:la |)|moi nguoi (?:oi |)(?:cho (?:toi |em |minh |)hoi |)|hoi )?';
// "Nếu…", "giả sử…", "lỡ…", "khi…": what to do if.
const IF = new RegExp(`${OPENING}(?:neu|gia su|gia nhu|lo|lo nhu|truong hop|trong truong hop|khi|khi ma|mot khi)(?= )`);
// "Làm sao để biết…", "cách dạy con…": how to spot, teach, protect.
const HOW = new RegExp(
  `${OPENING}(?:lam (?:sao|the nao|cach nao)|cach|nen) (?:de |)(?:biet|nhan biet|phat hien|day|phong|phong tranh|phong chong|giup|bao ve|tranh)(?= )`,
);
// Children in general as the subject: "trẻ bị…", "học sinh đánh nhau…", "bố mẹ đánh con…".
const GENERAL = new RegExp(
  `${OPENING}(?:tre|tre em|tre con|tre nho|con nit|hoc sinh|cac chau|cac em|bo me|cha me|phu huynh|nguoi lon|giao vien|co giao|thay giao|chu quan|tre vi thanh nien)(?= )`,
);
// What the question asks: where to report, whom, which number, what to do, whether it is allowed ("nguy
// cơ bị" is no "có bị"; "không rõ bố mẹ ở đâu" asks nothing).
const ASKS = words(
  '(?:bao|goi|lien he|phan anh|khieu nai|to cao|dang ky|nop|gui|tim) (?:[a-z]+ ){0,3}o dau', 'so nao', 'so may', 'goi (?:so |)(?:nao|ai|gi)',
  'bao (?:ai|cho ai|co quan nao|cho co quan nao)', 'lam gi', 'lam sao', 'the nao', 'nhu the nao', 'ra sao', 'xu ly sao', '(?<!nguy )co (?:duoc|bi|can|nen|phai|quyen)',
  'bao lau', 'bao nhieu', 'khong$', 'chua$', 'khong a$',
);
// "Nếu em…", "nếu không có con…": the writer's own if, not "nếu con tôi…". "Then" is not enough for it: "nếu
// không có em thì bố mẹ sẽ thoải mái hơn" is a child's thought of dying, told, not asked.
const SELF_IF = new RegExp(`${OPENING}neu (?:khong co |)(?:em|con|minh|toi|tui|tao|chau)(?! (?:toi|em|minh|tui|nha|cua|be|gai|trai)(?= |$))(?= )`);
// After "nếu…", "then" is enough ("nếu trẻ bị chó cắn thì cần làm gì"); folded "thị" (thị trấn) is not it.
const THEN = words('thi(?! (?:tran|xa|truong|the|hanh|nghiem|sat|luc|giac|phi))');
// A particular child, house or class: told about someone real, not children in general.
const PARTICULAR = words(
  'nha (?:ben|hang xom|toi|em|minh|tui|kia|do|anh|chi|ong|ba|co|chu)', 'hang xom', '(?:xom|lop|thon|ban|ap|truong) (?:toi|em|minh|tui)',
  '(?:con|chau|be) (?:toi|em|minh|tui|nha)', 'thang (?:be|cu|nho)', 'con be', '(?:bo|me|ba|ma|bo me|cha me) no',
);
// Something that happened: a time it did, "again", "still", "for a week".
const TOLD = words(
  'hom (?:qua|nay|truoc|kia)', 'sang nay', 'toi qua', 'chieu nay', 'dem qua', 'vua (?:bi|moi|roi)', 'dang bi', 'lai bi', 'nua', 'suot', 'ca tuan', 'may lan',
  'van (?:bi|con|dang)', 'da bi',
);

/** Whether `normalised` text is a question about children in general or about what to do if, telling nothing that happened. */
export function generalQuestion(normalised: string): boolean {
  if (TOLD.test(normalised)) return false;
  if (IF.test(normalised)) return ASKS.test(normalised) || (THEN.test(normalised) && !SELF_IF.test(normalised));
  if (HOW.test(normalised)) return true;
  return GENERAL.test(normalised) && ASKS.test(normalised) && !PARTICULAR.test(normalised);
}
