/** Starts the report conversation from /baocao, the menu, "tôi muốn báo cáo", or a message describing abuse. */
import { describesConcern } from '../../domain/urgency.js';
import { hasPhrase } from '../../text/vietnamese.js';
import type { Feature } from '../turn.js';
import type { FlowEngine } from '../flow.js';
import { initialDraft, REPORT_FLOW, reportFlow } from './flow.js';

const START_PHRASES = ['bao cao', 'to cao', 'phan anh', 'trinh bao', 'can giup', 'giup do', 'bao tin'];

export function reportFeature(flows: FlowEngine): Feature {
  flows.register(reportFlow);
  return {
    name: 'report',
    async handle(ctx) {
      const asked =
        ctx.command === 'baocao' || ctx.msg.choice === 'menu:report' || START_PHRASES.some((p) => hasPhrase(ctx.folded, p));
      const described = !ctx.command && describesConcern(ctx.text);
      if (!asked && !described) return false;
      const draft = initialDraft(ctx, described ? ctx.text : undefined);
      if (!described) ctx.reply('Cảm ơn bạn đã lên tiếng. Mình sẽ hỏi vài câu ngắn; bạn có thể "quay lại" hoặc "huỷ" bất cứ lúc nào.');
      else ctx.reply('Cảm ơn bạn đã báo. Mình sẽ hỏi thêm vài câu ngắn để cán bộ xã xử lý nhanh nhất.');
      reportFlow.afterAnswer?.(draft, ctx);
      await flows.start(ctx, REPORT_FLOW, draft);
      return true;
    },
  };
}
