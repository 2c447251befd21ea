/**
 * Questions people ask in the middle of a report, about the report itself: "gửi ảnh được không?",
 * "có ai biết em báo không?". They get a short answer and the same question again, instead of "xin
 * trả lời Có, Không…" or being saved as an answer. Only a short, clear question is one: it names what it
 * asks about and asks (a "?" or a question word at its end); a longer text may be more of the story.
 */
import { normalise } from '../../nlu/normalise.js';
import { words } from '../../nlu/pattern.js';
import { spoken, type ReportDraft } from './draft.js';

/** Normalised: shorthand is spelt out ("dc ko" → "duoc khong"). */
const ASKING = /(?:^| )(?:khong|khong a|chua|the nao|nhu nao|sao|o dau)$/;
const MAX_WORDS = 12;
const SEND_MEDIA = words('(?:gui|chup|quay|dinh kem|kem|up|tai) (?:them |lai |ca |)(?:anh|hinh|hinh anh|video|clip|file|tep|ghi am|vi tri|dinh vi)');
const WHO_KNOWS = words('(?:lo|biet) (?:ten|danh tinh|thong tin)', 'ai biet (?:toi|em|minh|tui|la toi|la em|la minh) (?:bao|to cao)', 'bi lo', 'giu bi mat');

/** The answer to a question about the report itself, or undefined when the text is not one. */
export function reportAside(d: ReportDraft, text: string): string | undefined {
  const n = normalise(text);
  if (n.split(' ').length > MAX_WORDS || !(text.trimEnd().endsWith('?') || ASKING.test(n))) return undefined;
  if (SEND_MEDIA.test(n)) {
    return spoken(
      d,
      'Được ạ. Bạn gửi ảnh, video, ghi âm, tệp hoặc vị trí vào đây lúc nào cũng được, mình sẽ gửi kèm báo cáo cho cán bộ.',
      'Được em nhé. Em gửi ảnh, video, ghi âm hoặc vị trí vào đây lúc nào cũng được, mình sẽ gửi cho cán bộ.',
    );
  }
  if (WHO_KNOWS.test(n)) {
    return spoken(
      d,
      'Thông tin của bạn chỉ cán bộ xử lý vụ việc được xem, không ai khác biết bạn đã báo. Ở cuối, bạn có thể chọn báo ẩn danh.',
      'Chỉ cán bộ xử lý vụ việc được xem tin của em, không ai khác biết em đã nhắn.',
    );
  }
  return undefined;
}
