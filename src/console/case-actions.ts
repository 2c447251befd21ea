/**
 * What the console's buttons do to a case: the shared case actions chat uses too
 * (src/actions/case-work.ts), with the same rules, for the signed-in person. Their answers become the
 * message shown on the page.
 */
import { randomUUID } from 'node:crypto';
import { TEXT_ACTIONS as SHARED_TEXT_ACTIONS, applyTextAction, isTextAction, moveCase, takeCase } from '../actions/case-work.js';
import type { CaseStep } from '../actions/case-wording.js';
import type { ActionDeps } from '../actions/deps.js';
import type { Member } from '../store/roles.js';

export const WEB_ACTIONS: readonly CaseStep[] = ['take', 'assess', 'submit', 'intervene', 'note', 'emergency', 'ask', 'refer', 'close', 'reopen'];
/** Steps that need words (a note, an outcome, a question): the same as chat's text actions. */
export const TEXT_ACTIONS: ReadonlySet<CaseStep> = new Set(SHARED_TEXT_ACTIONS);

export function isWebAction(value: string): value is CaseStep {
  return (WEB_ACTIONS as readonly string[]).includes(value);
}

/** Runs the step for the member; returns the answer chat would have given. */
export async function runCaseAction(deps: ActionDeps, member: Member, code: string, step: CaseStep, text: string): Promise<string> {
  if (step === 'take') return (await takeCase(deps, member, code)).text;
  if (step === 'assess' || step === 'intervene') return (await moveCase(deps, member, code, step === 'assess' ? 'assessing' : 'intervening')).text;
  if (!isTextAction(step)) return '';
  // Each form submission is its own request (the console has no turn to repeat).
  return (await applyTextAction(deps, member, code, step, text, randomUUID())).text;
}
