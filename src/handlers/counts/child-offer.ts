/**
 * After the month's counts are saved, the child the message told of ("sinh 2, …, cháu N nhà ông Tư hay
 * bị bỏ đói") is offered as a report that starts from those words: the village head does not tell it
 * again (the button started an empty report).
 */
import type { ChoiceWithAliases } from '../../messaging/choices.js';
import type { Flow, FlowEngine } from '../flow.js';
import { startReportFrom } from '../report/start.js';
import type { TurnContext } from '../turn.js';

export const CHILD_OFFER_FLOW = 'counts-child-report';
const REPORT: ChoiceWithAliases = { label: '📝 Báo cáo vụ việc', value: 'counts:child-report', aliases: ['bao cao', 'bao cao vu viec'] };

interface OfferDraft {
  /** The words that told of the child. */
  story: string;
  /** What the saving said, shown with the button. */
  said: string;
}

export function childOfferFlow(flows: FlowEngine): Flow<OfferDraft> {
  return {
    name: CHILD_OFFER_FLOW,
    offer: true,
    steps: [{ id: 'report', prompt: (d) => ({ text: d.said, choices: [REPORT] }), answer: () => ({ done: true }) }],
    complete: (d, ctx) => startReportFrom(ctx, flows, d.story),
  };
}

/** Says what the saving said, with the button that reports the child told of (from `story`), when there is one. */
export async function offerChildReport(ctx: TurnContext, flows: FlowEngine, said: string, story: string): Promise<void> {
  await flows.start<OfferDraft>(ctx, CHILD_OFFER_FLOW, { story, said });
}
