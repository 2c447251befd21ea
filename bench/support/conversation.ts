/**
 * The report conversation the load generators walk (bench/support/webhook-load.ts, bench/faults.bench.ts):
 * the answers in order, what the service asks after each (a phrase of its reply, to check that an answer
 * landed on the right step), and the Telegram update that carries a text.
 */
export const REPORT_ANSWERS = ['/baocao', '5', 'na ca', 'Cháu bé bị đánh nhiều lần, có vết bầm', 'hom nay', '8', 'nu', 'khong', 'bo qua', 'bo qua', 'an danh', 'gui'];

/** The answers that carry the report's own data (varied per report by the faults benchmark). */
export const ANSWER = { description: 3, age: 5, childName: 8 } as const;

/** After answer i the service asks REPORT_PROMPTS[i]; after the last it gives the code. */
export const REPORT_PROMPTS = ['việc gì', 'thôn/xóm', 'kể ngắn gọn', 'khi nào', 'bao nhiêu tuổi', 'bé trai hay bé gái', 'nguy hiểm', 'Tên hoặc tên viết tắt', 'biết thêm', 'để lại tên', 'Gửi báo cáo này?', 'Mã của bạn: TE-'];

/** A private-chat text message from `userId`, as the Bot API posts it to a webhook. */
export function textUpdateBody(updateId: number, userId: number, text: string): string {
  return JSON.stringify({
    update_id: updateId,
    message: { message_id: updateId, date: Math.floor(Date.now() / 1000), chat: { id: userId, type: 'private' }, from: { id: userId, is_bot: false, first_name: 'B' }, text },
  });
}
