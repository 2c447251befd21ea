/**
 * Questions people ask in the middle of a report, about the report or the service: "gửi ảnh được
 * không?", "có ai biết em báo không?", "bao lâu thì có người đến?". They get a short answer and the same
 * question again, instead of "xin trả lời Có, Không…" or being saved as an answer. Which texts are such
 * questions is src/nlu/service-topics.ts; the answers are src/handlers/service-answers.ts.
 */
import type { CommuneConfig } from '../../config/communes.js';
import { serviceTopic } from '../../nlu/service-topics.js';
import { serviceAnswer } from '../service-answers.js';
import { draftUrgency, spoken, type ReportDraft } from './draft.js';

/** The answer to a question about the report or the service, or undefined when the text is not one. */
export function reportAside(d: ReportDraft, text: string, commune: CommuneConfig): string | undefined {
  const topic = serviceTopic(text);
  return topic && serviceAnswer(topic, commune.hotlines.child, d.self, commune);
}

/** "xong chưa", "còn mấy câu nữa", "sao hỏi nhiều thế" (folded, a polite ending dropped): how much is left. */
const ASKS_PROGRESS =
  /^(?:(?:da|sap|gan|bao gio|khi nao|the) )?(?:xong|het)(?: (?:chua|khong|ko|k|roi chu|chua vay|chua the))?$|^con (?:may|bao nhieu|nhieu)(?: (?:cau|buoc))?(?: (?:nua|khong|ko|k|vay))*$|^(?:sao )?hoi (?:nhieu|lau|gi nhieu) (?:the|vay|qua)$|^lau (?:qua|the|vay)$/;
const POLITE_END = / (?:a|nhi|nhe|nha|vay|ha)$/;

/** The answer to "xong chưa?" asked in the middle of a report, with `left` questions still to ask; undefined when not asked. */
export function progressAside(d: ReportDraft, folded: string, left: number): string | undefined {
  if (!ASKS_PROGRESS.test(folded.replace(POLITE_END, ''))) return undefined;
  const more = left <= 1 ? 'chỉ còn câu này nữa thôi' : `còn ${left} câu ngắn nữa`;
  return spoken(d, `Sắp xong rồi ạ, ${more}; cảm ơn bạn đã kiên nhẫn.`, `Sắp xong rồi, ${more}; cảm ơn em đã kiên nhẫn.`);
}

/**
 * "thôi để em xem lại", "đợi chút", "để mình hỏi lại đã", "lát nữa em trả lời": the person needs a moment.
 * The draft stays; they are told so, and the question waits (not "không tìm thấy thôn này").
 */
/** Whom the person will ask first: "để em hỏi lại mẹ em đã", "để mình hỏi chồng" ("chị", "anh" are left out: "cho em hỏi chị" asks the service). */
const ASKED_FIRST = ' (?:me|bo|ba|ma|chong|vo|nguoi nha|gia dinh|ong|ba nha|co|chu|bac|hang xom)(?: (?:em|e|toi|minh|tui|chau|con|no))?';
/** "cảm ơn chị nhiều", "dạ cám ơn ạ", "tks ad": thanks, and nothing else (folded). */
const THANKS = /^(?:(?:da|vang|ok|oke|u) )?(?:cam on|thank you|thanks|thank|tks|camon|cmon)(?: (?:chi|anh|em|e|ban|ad|admin|co|chu|xa|can bo|nhieu|rat nhieu|lam|nhe|nha|a|ah|nhieu nhe|nhe a))*$/;

/** Thanks typed in the middle of a report: a kind word, and the question again (not "không tìm thấy thôn này"). */
export function thanksAside(d: ReportDraft, folded: string): string | undefined {
  if (!THANKS.test(folded)) return undefined;
  return spoken(d, 'Không có gì ạ, mình cảm ơn bạn đã báo cho xã.', 'Không có gì, cảm ơn em đã nhắn cho xã.');
}

/** When the person will come back: "để tối em hỏi", "mai e báo tiếp". */
const LATER = '(?:toi nay|toi|mai|sang mai|chieu nay|chieu|lat nua|lat|ti nua|ti|xiu nua|xiu|hom khac|luc khac|sau)';
const SPEAKER = '(?:em|e|toi|minh|tui|chau|con|anh|chi)';
/** Telling more later: "báo tiếp", "trả lời sau", "nhắn nốt". */
const TELLING = '(?:bao|bao cao|tra loi|gui|noi|ke|nhan|nhan tin)';
const GOES_ON_LATER = TELLING + '(?: (?:tiep|sau|lai|not|them))?';
/** Without "để" the later word must be said ("mai e báo tiếp"): folded "tôi gửi" is "tối gửi" too. */
const GOES_ON_LATER_SAID = TELLING + ' (?:tiep|sau|lai|not|them)';
const ASKS_PAUSE = new RegExp(
  '^(?:(?:thoi|da|vang|u) )?(?:(?:de|cho|doi) (?:' + LATER + ' )?(?:' + SPEAKER + ' )?(?:xem lai|hoi lai(?:' + ASKED_FIRST + ')?|hoi' + ASKED_FIRST + '|hoi da|nghi|nghi lai|nghi da|kiem tra|tim hieu|xem|hoi nguoi nha)' +
    '|(?:cho|doi) (?:chut|ti|xiu|lat|mot chut|mot lat|mot ti)|(?:lat|ti|chut) (?:nua|sau)(?: (?:em|e|toi|minh) (?:tra loi|noi|gui|bao|nhan))?' +
    '|de ' + LATER + '(?: nua)? (?:' + SPEAKER + ' )?' + GOES_ON_LATER + '|' + LATER + '(?: nua)? (?:' + SPEAKER + ' )?' + GOES_ON_LATER_SAID + '|(?:' + LATER + ' )?' + SPEAKER + ' (?:dang )?ban(?: (?:chut|ti|xiu|qua|roi|lam))?|de (?:luc khac|hom khac|khi khac|sau))' +
    '(?: roi ' + GOES_ON_LATER + ')?(?: (?:da|them|chut|ti|xiu|cai|nhe|nha|a|xem|xem sao|thu|truoc|nhe a|nha a))*$',
);

/**
 * "hôm qua chị đang báo dở", "em quay lại báo tiếp", "mình đang hỏi gì ấy nhỉ", "đến câu nào rồi": the
 * person comes back to the report after a while. The draft stays; they are told so, and the question is
 * asked again (the words were taken for more of the story, and "đang" for harm happening now).
 */
const COMES_BACK =
  /(?:^| )(?:dang (?:bao|lam|ke|tra loi|gui) do|(?:bao|lam|ke|tra loi|gui)(?: (?:cho|voi) (?:em|e|chi|anh|minh|ban))? (?:tiep|not)|(?:dang|vua|da|luc nay|hom qua) hoi (?:gi|den dau|cau nao)|(?:den|toi) (?:dau|cau nao) roi|cau (?:nao|gi) (?:the|vay|nhi))(?: |$)/;
const COMES_BACK_WORDS = 12;

/** The answer to someone taking up their report again; undefined when the text is none. */
export function backAside(d: ReportDraft, folded: string): string | undefined {
  if (folded.split(' ').length > COMES_BACK_WORDS || !COMES_BACK.test(folded)) return undefined;
  return spoken(d, 'Vâng, những gì bạn đã kể vẫn được giữ. Mình hỏi tiếp:', 'Ừ, những gì em đã kể vẫn được giữ. Mình hỏi tiếp nhé:');
}

/** The answer to a pause asked in the middle of a report; undefined when the text is none. */
export function pauseAside(d: ReportDraft, folded: string, hotline: string): string | undefined {
  if (!ASKS_PAUSE.test(folded)) return undefined;
  const kept = spoken(
    d,
    'Vâng, bạn cứ từ từ. Những gì bạn đã kể vẫn được giữ ở đây; khi sẵn sàng, bạn trả lời tiếp câu dưới đây (hoặc gõ "huỷ" nếu không muốn gửi nữa).',
    'Ừ, em cứ từ từ. Những gì em đã kể vẫn được giữ ở đây; khi nào sẵn sàng, em trả lời tiếp câu dưới đây nhé.',
  );
  // Nothing reaches an officer before the report is sent: an urgent one should not wait for tonight.
  if (draftUrgency(d) !== 'P0') return kept;
  return `${kept}\n${spoken(
    d,
    `Việc này có thể khẩn cấp: cán bộ xã chỉ nhận được khi báo cáo được gửi, nên xin bạn trả lời nốt sớm nhất có thể. Nếu trẻ đang gặp nguy hiểm, gọi ngay 113 hoặc ${hotline}.`,
    `Cán bộ xã chỉ nhận được tin khi em gửi xong, nên em trả lời nốt sớm nhé. Nếu em đang gặp nguy hiểm, gọi ngay ${hotline} hoặc 113.`,
  )}`;
}
