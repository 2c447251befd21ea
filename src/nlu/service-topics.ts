/**
 * What a short question about the service itself asks: "có mất phí không", "bố mẹ bạn ấy có biết em
 * báo không", "báo ban đêm có ai đọc không", "gọi số nào", "báo xong thì xã làm gì", "gửi ảnh được
 * không?". Only a short text that asks (a "?" or a question word at its end) is one; a longer text
 * may be a story. Patterns run on normalised text (src/nlu/normalise.ts: "dc ko" is "duoc khong").
 */
import { normalise } from './normalise.js';
import { words } from './pattern.js';

export type ServiceTopic = 'media' | 'privacy' | 'cost' | 'hours' | 'office' | 'paperwork' | 'number' | 'after' | 'feeling' | 'unsure';

/** A question word at the end, or before "tiếp", "nữa", "bây giờ" ("giờ em phải làm gì tiếp ạ", "làm sao bây giờ"). */
const ASKING = /(?:^| )(?:khong|khong a|chua|the nao|nhu nao|sao|o dau|dau|nao|gi|ai|bao lau|bao gio|may gio)(?: (?:tiep|tiep theo|nua|bay gio|gio))?$/;
/** In a short question the question word may stand before the purpose: "gọi số nào để báo", "đến đâu thì gặp được". */
const ASKS_WITHIN = /(?:^| )(?:nao|gi|ai|dau|o dau|bao lau|bao gio|may gio|the nao|nhu nao)(?: |$)/;
/** "xin hỏi …", "muốn hỏi về …": said to be a question, at any length a question has. */
const SAYS_ASKING = /(?:^| )(?:xin|cho|muon|can|em|toi|minh) hoi(?: |$)/;
const SHORT_QUESTION_WORDS = 8;
/** Asked without a question word, as a request: "sdt của ubnd xã", "địa chỉ uỷ ban xã". */
const REQUEST_WORDS = 6;
const REQUESTED: ReadonlySet<ServiceTopic> = new Set(['office', 'paperwork', 'number']);
/** "Bao lâu thì có người đến?": a question word may also open the question. */
const OPENS_ASKING = /^(?:bao lau|bao gio|khi nao|lam sao|lam the nao|o dau|ai|sao) /;
const MAX_WORDS = 16;
const POLITE_END = /(?: (?:a|vay|nhi|ha|nhe|the))+$/;

const TOPICS: ReadonlyArray<readonly [ServiceTopic, RegExp]> = [
  [
    'media',
    words(
      '(?:gui|chup|quay|dinh kem|kem|up|tai) (?:them |lai |ca |)(?:anh|hinh|hinh anh|video|clip|file|tep|ghi am|vi tri|dinh vi)',
      // The thing named first, the sending after it: "có ảnh chụp màn hình, gửi sau được không?"
      '(?:anh|hinh|video|clip|file|ghi am|chup man hinh)(?: [a-z]+){0,4} gui (?:sau|len|qua|cho)',
    ),
  ],
  [
    'privacy',
    words(
      '(?:lo|biet) (?:ten|danh tinh|thong tin)', '(?:ai|co) biet (?:la |)(?:toi|em|minh|tui|chau|con) (?:bao|to cao|nhan tin)', 'bi lo', 'giu bi mat',
      'bi tra thu', 'an danh (?:duoc|co)',
      // "nếu mình báo thì bố mẹ nó có biết không": the child's family named as who may know once one reports
      // ("con bé bị đánh, bố mẹ nó có biết không" asks nothing of the service).
      '(?:bao|bao cao|to cao)(?: [a-z]+){0,3} (?:bo me|bo|me|cha me|gia dinh|nha|ho|nguoi ta|hang xom)(?: (?:no|be|chau|ban ay|ban do|do|kia))? (?:co |se |)biet (?:khong|duoc khong|la ai|ai bao|minh bao|em bao|toi bao)',
    ),
  ],
  ['cost', words('mat phi', 'mien phi', 'ton tien', 'tra tien', 'mat tien', 'le phi', 'chi phi', 'co phi')],
  ['hours', words('ban dem', 'buoi toi', 'bao gio', 'ngay nghi', 'chu nhat', 'ngay le', 'bao lau', 'khi nao (?:co nguoi|xa|can bo)', 'may gio', 'co ai doc', 'co ai tra loi', 'luc nao cung', '(?:co |)ai (?:dang |)truc', 'co nguoi truc', 'truc (?:dem|24)', 'co ai (?:o do|o day|dang nghe)')],
  // Papers and benefits ("thủ tục làm giấy khai sinh", "chế độ học bổng cho hộ nghèo"): the commune's office does them.
  [
    'paperwork',
    words(
      'khai sinh', 'thu tuc', 'giay to', 'lam giay', 'hoc bong', 'che do', 'tro cap', 'ho tro (?:tien|gao|hoc phi)', 'mien (?:giam |)hoc phi', 'bao hiem y te', 'bhyt',
      'ho ngheo', 'can ngheo', 'ho khau', 'can cuoc', 'cccd', 'dinh danh', 'tam tru', 'thuong tru', 'giam ho', 'nhan con nuoi', 'lam con nuoi',
    ),
  ],
  // Before 'number': "số điện thoại của xã" asks for the office, not a hotline.
  [
    'office',
    words(
      'gap (?:truc tiep |)(?:can bo|nguoi phu trach|ai)', '(?:den|toi|len|ra) (?:dau|xa|uy ban|ubnd|tru so)(?: (?:de |)(?:gap|bao|trinh bao|noi chuyen))?',
      'tru so', 'van phong', 'dia chi (?:cua |)(?:xa|uy ban|ubnd|can bo)', '(?:so dien thoai|so dt|sdt|dien thoai) (?:cua |)(?:xa|uy ban|ubnd|can bo)',
    ),
  ],
  [
    'number',
    words(
      'so nao', 'so may', 'goi (?:so |)(?:nao|gi|ai|dau)', 'so dien thoai (?:nao|gi|cua)', 'hotline', 'duong day nong', 'tong dai',
      // Where to report: "thấy trẻ bị bạo hành thì báo ở đâu", "tố cáo với ai".
      '(?:bao|bao cao|to cao|trinh bao|lien he) (?:o |cho |voi |len |)(?:dau|ai|ben nao|co quan nao)',
    ),
  ],
  ['after', words('sau khi (?:bao|gui)', '(?:bao|gui) xong', 'xa (?:se |)(?:lam gi|xu ly the nao|xu ly sao)', 'roi (?:sao|the nao) nua', 'co tac dung')],
];

/**
 * A message that only says how the person feels ("em sợ lắm", "tôi lo quá", "hu hu"): it asks nothing,
 * but needs a kind word before the next question. With more in it ("em sợ về nhà") it is story.
 */
const FEELING =
  /^(?:(?:em|toi|minh|chau|con|tui|anh|chi) )?(?:(?:dang|rat|that|thay|cam thay|van|cung) )*(?:so|lo|hoang|run|khoc|hoang so|so hai|lo lang|hu hu|huhu)(?: (?:lam|qua|that|a|roi|het|ghe|lam luon|qua di|nua|nhieu|hu|huhu))*$/;

/** Faces and hearts of crying, fear and hurt: sent alone, they tell a feeling as "hu hu" does. */
const SAD_SIGNS = /[\u{1F622}\u{1F62D}\u{1F630}\u{1F628}\u{1F631}\u{1F625}\u{1F61F}\u{1F61E}\u{1F614}\u{1F97A}\u{1F494}\u{1F616}\u{1F623}\u{1F629}\u{1F62B}\u{2639}]/u;
/** A message of nothing but such signs, other pictographs and spaces (once their joiners and skin tones are taken out). */
const ONLY_SIGNS = /^[\p{Extended_Pictographic}\s.!?]+$/u;
const SIGN_PARTS = /\u{FE0F}|\u{200D}|\u{1F3FB}|\u{1F3FC}|\u{1F3FD}|\u{1F3FE}|\u{1F3FF}/gu;

/**
 * Doubt whether to report at all ("e ko biết có nên báo ko nữa", "phân vân quá", "sợ báo nhầm", "không
 * chắc có phải bạo hành không"): said, not always asked, and only in a few words (with more, it is a
 * story with its doubt, which starts the report).
 */
const UNSURE = words(
  '(?:co |)nen (?:bao|bao cao|to cao|phan anh|noi|ke)(?: [a-z]+){0,3} (?:khong|hay khong|hay thoi)', 'phan van', 'luong lu', 'dan do',
  '(?:so|neu|lo) (?:minh |em |toi |e |)bao (?:nham|sai)', 'khong (?:chac|biet) (?:co |la |)phai (?:la |)(?:bao hanh|bao luc|xam hai|danh dap)',
  '(?:bao|to cao)(?: [a-z]+){0,2} (?:co sao|co bi lam sao|co phien|co bi lien luy)',
);
const UNSURE_WORDS = 10;

/** The topic of a short question about the service, or of a message that only tells a feeling, or undefined. */
export function serviceTopic(text: string): ServiceTopic | undefined {
  if (ONLY_SIGNS.test(text.replace(SIGN_PARTS, '')) && SAD_SIGNS.test(text)) return 'feeling';
  const n = normalise(text);
  if (FEELING.test(n)) return 'feeling';
  if (n.split(' ').length <= UNSURE_WORDS && UNSURE.test(n)) return 'unsure';
  // "… báo ở đâu ạ", "… với ai vậy": a polite ending after the question word.
  const asked = n.replace(POLITE_END, '');
  const length = n.split(' ').length;
  if (length > MAX_WORDS) return undefined;
  const asks = text.trimEnd().endsWith('?') || ASKING.test(asked) || OPENS_ASKING.test(n) || SAYS_ASKING.test(n) || (length <= SHORT_QUESTION_WORDS && ASKS_WITHIN.test(n));
  if (!asks && length > REQUEST_WORDS) return undefined;
  const topic = TOPICS.find(([, pattern]) => pattern.test(n))?.[0];
  return asks || (topic && REQUESTED.has(topic)) ? topic : undefined;
}

/**
 * A message that only asks to stay unnamed ("cho em giấu tên", "e muon an danh", "em không muốn ai biết
 * em báo", "giấu tên được không"), told before any story: a wish about the report, not the report. The
 * whole message must be the wish (an address, the person, "muốn", "xin" around it, a polite ending); a
 * story told with it ("em muốn giấu tên, nhà bên đánh con") is a story. `report` is the wish to report so
 * ("em muốn báo cáo ẩn danh"). Patterns run on normalised text.
 */
const ADDRESS = '(?:(?:chi|anh|em|co|chu|bac|ad|admin|ban|xa|can bo|a|c) oi )?';
const PERSON = '(?:(?:em|toi|minh|chau|con|tui|t|tao) )?';
const WANT = '(?:(?:muon|xin|can|duoc|co the|cho|de|xin duoc|muon duoc|chi|chi muon) )*';
const PERSON_AFTER = '(?:(?:em|toi|minh|chau|con|tui) )?';
const REPORTING = '(?:(?:bao|bao cao|to cao|phan anh|nhan tin|ke|gui|gui tin) )?';
const NO_ONE_KNOWS =
  '(?:khong (?:muon |can |)|dung |xin dung |dung co )(?:cho |de |noi (?:cho |voi |)|)(?:ai|ai khac|nguoi khac|gia dinh|nha do|ho|hang xom|bo me no|moi nguoi) (?:biet|hay biet)(?: (?:la |)(?:em|toi|minh|chau|tui|con) (?:bao|nhan tin|to cao|ke|noi|da bao))?';
const NOT_NAMED =
  '(?:khong (?:muon |can |)|dung |xin dung )(?:de |)(?:lo|noi|de lai|cho biet|neu|ghi|cong khai)(?: ra|) (?:ten|danh tinh|thong tin|ten tuoi|so dien thoai)(?: (?:cua |)(?:em|toi|minh|chau|tui|con))?';
const UNNAMED = `(?:${REPORTING}(?:an danh|giau ten|giau danh tinh|giau thong tin|giu kin (?:ten|danh tinh|thong tin|ten tuoi))|${NOT_NAMED}|${NO_ONE_KNOWS})`;
const WISH_END = '(?: (?:duoc khong|duoc khong a|co duoc khong|duoc chu|nhe|nha|a|voi|giup|giup em|giup toi|giup minh|vs|di|thoi|nhe a|duoc|khong|khong a|oi|vay|ha|nhi|the|duoc ha|duoc a))*';
const WISH = new RegExp(`^${ADDRESS}${PERSON}${WANT}${PERSON_AFTER}${WANT}${UNNAMED}${WISH_END}$`);
const TO_REPORT = /(?:^| )(?:bao|bao cao|to cao|phan anh)(?= )/;

/** Whether `text` only asks to stay unnamed: `report` when it asks to report so, `wish` otherwise, or undefined. */
export function anonymityWish(text: string): 'wish' | 'report' | undefined {
  const n = normalise(text).replace(POLITE_END, '');
  if (!WISH.test(n)) return undefined;
  // "báo cáo ẩn danh được không" asks whether one may: answered as a wish; "em muốn báo cáo ẩn danh" asks to start.
  const asks = text.trimEnd().endsWith('?') || ASKING.test(n);
  return TO_REPORT.test(n) && !asks ? 'report' : 'wish';
}
