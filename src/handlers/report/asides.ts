/**
 * Questions people ask in the middle of a report, about the report or the service: "gửi ảnh được
 * không?", "có ai biết em báo không?", "bao lâu thì có người đến?". They get a short answer and the same
 * question again, instead of "xin trả lời Có, Không…" or being saved as an answer. Which texts are such
 * questions is src/nlu/service-topics.ts; the answers are src/handlers/service-answers.ts.
 */
import type { CommuneConfig } from '../../config/communes.js';
import { serviceTopic } from '../../nlu/service-topics.js';
import { serviceAnswer } from '../service-answers.js';
import type { ReportDraft } from './draft.js';

/** The answer to a question about the report or the service, or undefined when the text is not one. */
export function reportAside(d: ReportDraft, text: string, commune: CommuneConfig): string | undefined {
  const topic = serviceTopic(text);
  return topic && serviceAnswer(topic, commune.hotlines.child, d.self);
}
