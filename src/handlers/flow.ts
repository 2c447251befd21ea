/**
 * A small engine for guided conversations: a flow is an ordered list of steps, each with a prompt and an
 * answer parser. The engine gives every flow the same cancel and back behaviour and keeps the state in
 * the turn's session, committed after every answer (docs/turns.md), so any process can resume it.
 */
import { matchChoice, type ChoiceWithAliases } from '../messaging/choices.js';
import type { Choice, Media } from '../messaging/message.js';
import type { Session } from '../store/sessions.js';
import { hasPhrase } from '../text/vietnamese.js';
import type { TurnContext } from './turn.js';

export interface StepPrompt {
  text: string;
  choices?: ChoiceWithAliases[];
}

export interface StepInput {
  text: string;
  folded: string;
  /** The choice the person picked (pressed or typed), if the prompt had choices. */
  choice?: string;
  media: Media[];
}

/** `error` keeps the step and explains; `next` jumps (default: the following step); `done` finishes. */
export interface StepResult {
  error?: string;
  next?: string;
  done?: boolean;
}

export interface Step<D> {
  id: string;
  /** Steps that do not apply (or whose answer cannot be changed) are passed over. */
  skip?(data: D, ctx: TurnContext): boolean;
  /**
   * Steps the person already answered in their own words (the story named the village, the child's age)
   * are passed over too, but "Quay lại" still reaches them, so a wrong reading can be put right.
   */
  answered?(data: D, ctx: TurnContext): boolean;
  prompt(data: D, ctx: TurnContext): StepPrompt;
  /** Reads the answer into `data`; `next` defaults to the following step. */
  answer(data: D, input: StepInput, ctx: TurnContext): Promise<StepResult> | StepResult;
}

export interface Flow<D> {
  name: string;
  steps: Step<D>[];
  /**
   * Keeps the message's photos, files, voice notes or locations, whatever step it arrives at, and says
   * what was kept. A message with nothing but media gets that answer and the step asked again; with
   * text, the step reads the text.
   */
  keepMedia?(data: D, media: Media[]): string;
  /**
   * What is said to a message that is no answer to the step but belongs to the flow: a question about
   * it ("gửi ảnh được không?"), or the answer to a later step given early (a phone number), kept in
   * `data`. It is said and the step asked again. Undefined when the text is neither.
   */
  aside?(data: D, ctx: TurnContext, step: string): string | undefined;
  /**
   * Reads a message that puts right an earlier answer whatever step it arrives at ("à nhầm, thôn Bản
   * Piềng chứ không phải Nà Ca"), and says what was changed; the current step is then asked again.
   * Undefined when the message corrects nothing.
   */
  correct?(data: D, ctx: TurnContext, step: string): string | undefined;
  /** Called after every accepted answer or aside (e.g. to warn at once when a report turns urgent). */
  afterAnswer?(data: D, ctx: TurnContext): void;
  /** Called once the last step is answered; must be idempotent (it runs again if the process died). */
  complete(data: D, ctx: TurnContext): Promise<void>;
  /**
   * An offer of buttons, not a conversation: a message that picks none of them ends it and is read as
   * if it had not been there (no "Bạn đang làm dở một việc" after it).
   */
  offer?: true;
  /** What the person would lose to a stop said in one word ("thôi"): asked before it is dropped. */
  holdsStory?(data: D): boolean;
}

const CANCEL_WORDS = ['huy', 'huy bo', 'thoi', 'dung lai', 'cancel', 'khong bao cao nua'];
const BACK_WORDS = ['quay lai', 'tro lai', 'back', 'lui lai'];
/**
 * A stop said in a short sentence while something is being filled in: "thôi không báo nữa", "em không
 * gửi nữa đâu", "thôi huỷ đi". Only the person's own reporting is stopped by it, never a story's words.
 */
const STOP_WORDS = 9;
const NO_MORE = /(^| )(khong|ko|k|chang) (muon )?(bao|bao cao|gui) nua( |$)/;
/**
 * After an opening "thôi": "thôi huỷ đi", "thôi dừng lại" (not "thôi chết, cháu ngã"; and not "thôi khỏi",
 * "thôi bỏ qua", which answer an optional question).
 */
const AFTER_THOI = /^(thoi|thui)( (em|toi|minh|chau|a|nhe|nha|vay))* (huy|dung)( |$)/;

/** "thôi", "thôi vậy": as often "that's all" or a sigh as "stop"; it stops a conversation holding a story only once confirmed. */
const BARE_STOP = /^(thoi|thui)( (vay|nhe|nha|a|nhi))?$/;

export function isBareStop(ctx: TurnContext): boolean {
  return !ctx.command && !ctx.msg.choice && BARE_STOP.test(ctx.folded);
}

export function isCancel(ctx: TurnContext): boolean {
  if (ctx.command === 'huy' || ctx.msg.choice === 'flow:cancel' || CANCEL_WORDS.includes(ctx.folded)) return true;
  if (!ctx.session || ctx.command || ctx.msg.choice || ctx.folded.split(' ').length > STOP_WORDS) return false;
  return NO_MORE.test(ctx.folded) || AFTER_THOI.test(ctx.folded);
}

export function isBack(ctx: TurnContext): boolean {
  return ctx.command === 'quaylai' || ctx.msg.choice === 'flow:back' || BACK_WORDS.some((w) => ctx.folded === w || hasPhrase(ctx.folded, w) && ctx.folded.split(' ').length <= 3);
}

/** Said when an interrupted conversation is taken up again, before its question. */
const PARKED_BACK = 'Giờ mình hỏi tiếp việc đang làm dở:';

export const CANCEL_CHOICE: Choice = { label: '✖️ Huỷ', value: 'flow:cancel' };
export const NAV_CHOICES: ChoiceWithAliases[] = [{ label: '↩️ Quay lại', value: 'flow:back' }, CANCEL_CHOICE];

/** Records a step for "Quay lại"; a step asked again (more of the story arrived) is one entry, not two. */
function remember(session: Session, step: string): void {
  if (session.history[session.history.length - 1] !== step) session.history.push(step);
}

export class FlowEngine {
  private readonly flows = new Map<string, Flow<never>>();

  register<D>(flow: Flow<D>): void {
    this.flows.set(flow.name, flow as unknown as Flow<never>);
  }

  has(name: string): boolean {
    return this.flows.has(name);
  }

  /**
   * Starts a flow with initial data and shows its first unanswered step. With `keep`, a conversation of
   * another flow in progress is parked, not dropped: it is taken up again when this one is done or
   * cancelled (`unpark`).
   */
  async start<D extends object>(ctx: TurnContext, name: string, data: D, opts: { keep?: boolean } = {}): Promise<void> {
    const flow = this.get<D>(name);
    const now = ctx.services.now();
    const parked = opts.keep && ctx.session && ctx.session.flow !== name ? ctx.session : undefined;
    const session: Session = { flow: name, step: '', data: data as Record<string, unknown>, history: [], startedAt: now, updatedAt: now, ...(parked && { parked }) };
    await this.advance(ctx, flow, session, 0);
  }

  /** Takes up the conversation `ended` had parked, if any, asking its current question again. */
  unpark(ctx: TurnContext, ended: Session): void {
    const parked = ended.parked;
    if (!parked || !this.flows.has(parked.flow)) return;
    this.save(ctx, parked);
    ctx.reply(PARKED_BACK);
    this.resume(ctx);
  }

  /** Whether the person's conversation holds a story they would lose by stopping. */
  holdsStory(ctx: TurnContext): boolean {
    const session = ctx.session;
    const flow = session ? this.flows.get(session.flow) : undefined;
    return Boolean(session && flow?.holdsStory?.(session.data as never));
  }

  /** Whether the active flow is an offer that this message passes by, picking none of its choices. */
  passesBy(ctx: TurnContext): boolean {
    if (!this.current(ctx)?.flow.offer) return false;
    const choices = this.currentChoices(ctx);
    return !(choices && matchChoice(ctx.msg, choices)) && !isBack(ctx);
  }

  /**
   * Whether the current step takes this typed word as one of its own answers, word for word: "thôi" to
   * "để lại liên hệ không?" is "no, thanks", not a stop.
   */
  takesAsAnswer(ctx: TurnContext): boolean {
    return !ctx.msg.choice && Boolean(this.currentChoices(ctx)?.some((c) => c.aliases?.includes(ctx.folded)));
  }

  private current(ctx: TurnContext): { flow: Flow<never>; step: Step<never> | undefined } | undefined {
    const session = ctx.session;
    const flow = session ? this.flows.get(session.flow) : undefined;
    return session && flow ? { flow, step: flow.steps.find((s) => s.id === session.step) } : undefined;
  }

  private currentChoices(ctx: TurnContext): ChoiceWithAliases[] | undefined {
    return this.current(ctx)?.step?.prompt(ctx.session?.data as never, ctx).choices;
  }

  /** Shows the current step again (after /start interrupted, or "tiếp tục"). */
  resume(ctx: TurnContext): void {
    const session = ctx.session;
    if (!session) return;
    const flow = this.get(session.flow);
    const step = flow.steps.find((s) => s.id === session.step);
    if (step) this.show(ctx, step, session.data as never);
  }

  /** Handles an answer inside the person's active flow. */
  async handle(ctx: TurnContext): Promise<void> {
    const session = ctx.session;
    if (!session) return;
    const flow = this.get(session.flow);
    const index = flow.steps.findIndex((s) => s.id === session.step);
    const step = flow.steps[index];
    if (!step) {
      ctx.session = undefined;
      return;
    }
    if (isBack(ctx)) {
      const previous = session.history.pop();
      const at = previous ? flow.steps.findIndex((s) => s.id === previous) : index;
      session.step = flow.steps[at]?.id ?? step.id;
      this.save(ctx, session);
      this.show(ctx, flow.steps[at] ?? step, session.data as never);
      return;
    }
    if (flow.keepMedia && ctx.msg.media.length) {
      const kept = flow.keepMedia(session.data as never, ctx.msg.media);
      if (!ctx.text && !ctx.msg.choice) {
        await this.save(ctx, session);
        ctx.reply(kept);
        this.show(ctx, step, session.data as never);
        return;
      }
    }
    const aside = ctx.msg.choice || !ctx.text ? undefined : flow.aside?.(session.data as never, ctx, step.id);
    const corrected = aside || ctx.msg.choice ? undefined : flow.correct?.(session.data as never, ctx, step.id);
    const said = aside ?? corrected;
    if (said) {
      this.save(ctx, session);
      ctx.reply(said);
      // What was said may have changed the data as an answer does (more of a story that turns it urgent).
      flow.afterAnswer?.(session.data as never, ctx);
      this.show(ctx, step, session.data as never);
      return;
    }
    const prompt = step.prompt(session.data as never, ctx);
    const picked = prompt.choices ? matchChoice(ctx.msg, prompt.choices) : undefined;
    if (ctx.msg.choice && !picked) {
      // A button of an earlier question (pressed twice, or late): say so kindly and ask the current one.
      ctx.reply('Câu đó bạn đã trả lời rồi. Mình đang hỏi:');
      this.show(ctx, step, session.data as never);
      return;
    }
    const input: StepInput = { text: ctx.text, folded: ctx.folded, choice: picked?.value, media: ctx.msg.media };
    const result = await step.answer(session.data as never, input, ctx);
    if (result.error) {
      ctx.reply(result.error, this.withNav(prompt.choices));
      return;
    }
    remember(session, step.id);
    flow.afterAnswer?.(session.data as never, ctx);
    if (result.done) {
      await this.finish(ctx, flow, session);
      return;
    }
    const nextIndex = result.next ? flow.steps.findIndex((s) => s.id === result.next) : index + 1;
    await this.advance(ctx, flow, session, nextIndex);
  }

  private async advance(ctx: TurnContext, flow: Flow<never>, session: Session, from: number): Promise<void> {
    let i = from;
    for (; i < flow.steps.length; i++) {
      const s = flow.steps[i] as Step<never>;
      if (s.skip?.(session.data as never, ctx)) continue;
      if (!s.answered?.(session.data as never, ctx)) break;
      remember(session, s.id);
    }
    const step = flow.steps[i];
    if (!step) {
      await this.finish(ctx, flow, session);
      return;
    }
    session.step = step.id;
    this.save(ctx, session);
    this.show(ctx, step, session.data as never);
  }

  private async finish(ctx: TurnContext, flow: Flow<never>, session: Session): Promise<void> {
    // The draft goes with the turn's commit: a crash before it leaves the draft to be confirmed again
    // (completions are idempotent). A completion that started another flow keeps that one.
    ctx.session = undefined;
    await flow.complete(session.data as never, ctx);
    if (!ctx.session) this.unpark(ctx, session);
  }

  private save(ctx: TurnContext, session: Session): void {
    session.updatedAt = ctx.services.now();
    ctx.session = session;
  }

  private show<D>(ctx: TurnContext, step: Step<D>, data: D): void {
    const p = step.prompt(data, ctx);
    ctx.reply(p.text, this.withNav(p.choices));
  }

  /** Adds back/cancel and drops aliases, which are for matching only. */
  private withNav(choices: ChoiceWithAliases[] | undefined): Choice[] {
    return [...(choices ?? []), ...NAV_CHOICES].map(({ label, value }) => ({ label, value }));
  }

  private get<D>(name: string): Flow<D> {
    const flow = this.flows.get(name);
    if (!flow) throw new Error(`unknown flow ${name}`);
    return flow as unknown as Flow<D>;
  }
}
