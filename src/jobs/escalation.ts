/**
 * An escalation step of an unacknowledged case (contract, scheduling and cancelling in
 * src/actions/escalation.ts). Each step re-checks the case first, under the case lock: once someone
 * acknowledged, or the case was closed, it does nothing (the acknowledgement also removes the delayed
 * steps, but this check is the guarantee). It re-alerts everyone alerted so far plus the next role of the
 * chain through the outbox (keys `alert:<code>:esc<n>:<identity>`: a re-run sends nothing twice), writes
 * the timeline once (`escalated` when it reached new roles, else `re_alerted`) and schedules the next.
 * A step past the chain's end is a round of "keep trying" (nobody could be reached, alert-chain.ts):
 * everyone on the chain, on every channel they linked, even those marked unreachable.
 */
import { alertMessage, rolesText } from '../actions/alert-text.js';
import { clearSkipped, moveOnIfNobodyReached, recordStep } from '../actions/alert-chain.js';
import { awaitingAck, communeOf, loadCase, sendCaseAlert, withCaseLock } from '../actions/case-alerts.js';
import {
  ackDelayMs,
  chainFor,
  ESCALATION_QUEUE,
  escalationJobSchema,
  escalationSteps,
  realertKey,
  rolesForStep,
  scheduleEscalation,
  type EscalationJob,
} from '../actions/escalation.js';
import type { AlertChain } from '../config/communes.js';
import { URGENCY_LABEL } from '../domain/urgency.js';
import type { ReportSummary } from '../store/reports.js';
import type { JobDeps, JobModule } from './job-module.js';
import { singleQueueModule, type ModuleWorkerOptions } from './module-worker.js';

export type EscalationOutcome = 'escalated' | 'stopped' | 'not_found';

function headingOf(report: ReportSummary, chain: AlertChain, step: number, now: number, added: string): string {
  const steps = escalationSteps(chain);
  const waited = Math.max(1, Math.round((now - report.createdAt) / 60_000));
  const what = report.urgency === 'P0' ? 'vụ khẩn cấp' : `vụ mức ${URGENCY_LABEL[report.urgency].toLowerCase()}`;
  if (step > steps) return `🆘 THỬ LẠI LẦN ${step - steps}: ${what} chưa báo được cho ai sau ${waited} phút. Xin tiếp nhận nếu bạn nhận được tin này.`;
  // Brought forward because nobody told before could be reached.
  const early = now < report.createdAt + step * ackDelayMs(chain) - 60_000;
  const lead = early ? `⏩ CHUYỂN TIẾP: người được báo trước không liên lạc được, ${what} chưa có ai tiếp nhận` : `🔁 NHẮC LẦN ${step}: ${what} chưa có ai tiếp nhận sau ${waited} phút`;
  return lead + (added ? `\nĐã báo thêm: ${added}.` : '');
}

/** Runs step `step` at `now`: re-check, re-alert, record, schedule the next step. */
export async function processEscalation(services: JobDeps, job: EscalationJob, now = services.now()): Promise<EscalationOutcome> {
  const { code, step } = job;
  const outcome = await withCaseLock(services, code, async (): Promise<EscalationOutcome | { sent: number }> => {
    const state = await loadCase(services, code);
    if (!state) {
      services.log.warn({ code, step }, 'escalation: case not found');
      return 'not_found';
    }
    if (!awaitingAck(state)) return 'stopped'; // acknowledged or closed: nobody hears about it again
    const { report } = state;
    const commune = communeOf(services, report.communeId);
    const chain = commune && chainFor(commune, report);
    if (!commune || !chain) {
      services.log.error({ code, communeId: report.communeId }, 'escalation: commune or chain no longer configured');
      return 'not_found';
    }
    const steps = escalationSteps(chain);
    const retry = step > steps;
    if (retry) await clearSkipped(services, code); // everyone gets another chance this round
    const roles = rolesForStep(report, chain, step);
    const before = rolesForStep(report, chain, step - 1);
    const added = roles.filter((r) => !before.includes(r));
    const message = alertMessage(report, commune, now, headingOf(report, chain, step, now, rolesText(added)), Boolean(services.web));
    const result = await sendCaseAlert(services, report, roles, message, realertKey(code, step), {
      preview: `nhắc lần ${step} vụ ${report.urgency} ${code}`,
      everyChannel: retry,
    });
    await recordStep(services, code, step);
    await services.cases.addEntryOnce(code, `esc-${step}`, {
      at: now,
      actor: 'system',
      kind: added.length ? 'escalated' : 're_alerted',
      text:
        `${retry ? `Thử lại lần ${step - steps}` : `Bước ${step}/${steps}`}: báo lại ${rolesText(roles)} (${result.sent.length} người)` +
        (result.missing.length ? `; chưa có người: ${rolesText(result.missing)}` : ''),
    });
    if (step < steps) await scheduleEscalation(services, code, step + 1, now + ackDelayMs(chain));
    services.log.info({ code, step, recipients: result.sent.length }, 'escalation step sent');
    return { sent: result.sent.length };
  });
  if (typeof outcome === 'string') return outcome;
  // Nobody holds any of the roles: no undelivered alert will say so, so move on from here.
  if (outcome.sent === 0) await moveOnIfNobodyReached(services, code);
  return 'escalated';
}

export function createEscalationModule(opts: ModuleWorkerOptions = {}): JobModule {
  return singleQueueModule(ESCALATION_QUEUE, escalationJobSchema, 'escalation', processEscalation, opts);
}

export const escalationModule = createEscalationModule();
