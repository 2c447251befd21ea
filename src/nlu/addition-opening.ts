/**
 * Words that open more of a story already told: "à còn nữa, nó còn bị bỏ đói", "em quên chưa nói là …",
 * "thêm nữa là …", "với lại hôm qua …", "ngoài ra …", "cho em kể thêm: …". Said after a story, they
 * add to it; they never start a story of their own.
 */
import { foldWords } from '../text/vietnamese.js';

const ME = '(?:em|e|toi|t|minh|mk|tui|chau|con|anh|chi)';
/** "à", "à mà", "dạ", "ơ": how people start what they had forgotten. */
const LEAD_IN = '(?:(?:a|ah|o|u|da|vang|ma|a ma|a quen|a dung roi)\\s+)*';
const OPENINGS = [
  // "còn nữa", "còn 1 chuyện nữa", "còn chuyện này nữa"
  'con (?:nua|(?:1|mot) (?:chuyen|viec|dieu|y) nua|(?:chuyen|viec|dieu) (?:nay |nay nua|)nua|nay nua)',
  // "em quên chưa nói", "quên không kể", "quên mất", "quên nói với chị"
  `(?:${ME} )?quen (?:mat|(?:chua|khong|ko|k|mat|)\\s*(?:noi|ke|bao|nhan)(?: (?:voi|cho) [a-z]+)?(?: (?:nua|them))?)`,
  // "thêm nữa", "thêm 1 chuyện nữa", "nói thêm", "cho em kể thêm"
  `them (?:nua|(?:1|mot) (?:chuyen|viec|dieu|y|cai) nua)|(?:(?:cho|de) ${ME} |${ME} )?(?:noi|ke|nhan|bao) them`,
  // "với lại", "vs lại", "với cả", "ngoài ra", "hơn nữa", "bên cạnh đó"
  'voi lai|vs lai|voi ca|va lai|ngoai ra|hon nua|ben canh do|them vao do',
];
const OPENING = new RegExp(`^${LEAD_IN}(?:${OPENINGS.join('|')})(?: (?:la|rang|do|nhe|nha|a|nua))*(?: |$)`);
/** A short question after the opening ("ngoài ra còn gì nữa không ạ") asks; it adds nothing. */
const ASKS = /(?:^| )(?:khong|ko|chua|sao|gi|nao)(?: (?:a|vay|nhi|ha|nhe))?$/;
const QUESTION_WORDS = 6;

/** Whether the text opens with such words and then tells something ("… nó còn bị bỏ đói"). */
export function opensAddition(text: string): boolean {
  const folded = foldWords(text);
  const m = OPENING.exec(folded);
  const rest = m ? folded.slice(m[0].length) : '';
  const words = rest.split(' ').length;
  // Two words at least: "còn nữa ạ", "với lại nó" tell nothing yet.
  if (!m || words < 2) return false;
  return words > QUESTION_WORDS || !(text.trim().endsWith('?') || ASKS.test(rest));
}
