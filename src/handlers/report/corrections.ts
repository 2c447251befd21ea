/**
 * What a person puts right in words at the summary ("à nhầm, không phải hôm qua mà là hôm kia", "sửa
 * thôn thành Bản Piềng", "cháu 12 tuổi chứ", "thêm: tối qua nó lại đánh"): the line is changed, or the
 * words added to the story, and the summary shown again. Before, only the buttons could change it, one
 * step back at a time.
 */
import { foldWords } from '../../text/vietnamese.js';
import { villagesNamed } from '../../domain/villages.js';
import type { StepInput, StepResult } from '../flow.js';
import type { TurnContext } from '../turn.js';
import { answersAnother } from './child-steps.js';
import { communeOf, spoken, type ReportDraft } from './draft.js';
import { continuesStory, keepStoryPart } from './story.js';

/** "không phải X mà là Y", "sửa … thành Y", "đổi … là Y": the words after these are the right ones. */
const RIGHT_PART = /(?:^|[\s,.;:])(?:mà là|ma la|mà|ma|thành|thanh|chứ không phải|chu khong phai)\s+(.+)$/iu;
/** "sửa", "nhầm": the message puts something right, so a village in it is the new one even if another is named first. */
const CORRECTING = /(?:^| )(?:sua|nham|doi|khong phai|chu khong phai|lai la)(?: |$)/;

/** A place typed alone is this short: "ở Bản Piềng", "thôn Nà Ca chứ". */
const PLACE_WORDS = 6;

/** The part of a correction that holds the right answer; the whole text when it has no such words. */
function rightPart(text: string): string {
  return RIGHT_PART.exec(text)?.[1]?.trim() || text;
}

/** A village typed at the summary: "sửa thôn thành Bản Piềng", "à ở Nà Ca chứ không phải Đồng Tâm". */
function changedVillage(d: ReportDraft, input: StepInput, ctx: TurnContext): StepResult | undefined {
  const named = villagesNamed(input.text, communeOf(d, ctx));
  if (!named.length) return undefined;
  // "ở Nà Ca chứ không phải Đồng Tâm": the one not said to be wrong.
  const right = named.filter((v) => !/(?:^| )(?:khong phai|chu khong phai|khong phai la)$/.test(v.before));
  const place = right.length === 1 ? right[0]?.name : named.length === 1 ? named[0]?.name : undefined;
  // Two places need words that correct; one, a short message or such words (a longer one naming a
  // place is more of the story: "… hay đưa nó sang Nà Ca").
  const corrects = CORRECTING.test(input.folded);
  if (!place || place === d.village || !(corrects || (named.length === 1 && input.folded.split(' ').length <= PLACE_WORDS))) return undefined;
  d.village = place;
  ctx.reply(`Mình đã sửa nơi xảy ra: ${place}.`);
  return { next: 'confirm' };
}

/** A change typed at the summary, or undefined when the words change nothing it knows. */
export function changedAtSummary(d: ReportDraft, input: StepInput, ctx: TurnContext): StepResult | undefined {
  if (input.choice) return undefined;
  const village = changedVillage(d, input, ctx);
  if (village) return village;
  const part = rightPart(input.text);
  // A time, an age or a sex: kept for its line, as when typed at another question.
  const another = answersAnother(d, { ...input, text: part, folded: foldWords(part) }, ctx, 'confirm');
  if (another) return another;
  if (continuesStory(input, ctx)) return keepStoryPart(d, input, ctx, 'confirm');
  return undefined;
}

/** Said when the summary's words changed nothing. */
export function summaryHint(d: ReportDraft): string {
  return spoken(
    d,
    'Bấm "Gửi báo cáo" (hoặc gõ "gửi") để gửi. Muốn sửa, bạn gõ điều cần sửa (ví dụ: "sửa thôn thành Nà Ca", "không phải hôm qua mà là hôm kia"), hoặc bấm "Quay lại"; "Huỷ" để dừng.',
    'Bấm "Gửi báo cáo" (hoặc gõ "gửi") để gửi. Muốn sửa, em gõ điều cần sửa, hoặc bấm "Quay lại"; "Huỷ" để dừng.',
  );
}
