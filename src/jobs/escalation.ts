/**
 * An escalation step of an unacknowledged emergency (contract, scheduling and cancelling in
 * src/actions/escalation.ts). Each step re-checks the case first, under the case lock: once someone
 * acknowledged, or the case was closed, it does nothing (the acknowledgement also removes the delayed
 * steps, but this check is the guarantee). It re-alerts everyone alerted so far plus the next role of the
 * chain through the outbox (keys `alert:<code>:esc<n>:<identity>`: a re-run sends nothing twice), writes
 * the timeline once (`escalated` when it reached new roles, else `re_alerted`) and schedules the next.
 */
import { alertMessage, rolesText } from '../actions/alert-text.js';
import { awaitingAck, communeOf, loadCase, sendCaseAlert, withCaseLock } from '../actions/case-alerts.js';
import {
  ackDelayMs,
  ESCALATION_QUEUE,
  escalationJobSchema,
  escalationSteps,
  realertKey,
  rolesForStep,
  scheduleEscalation,
  type EscalationJob,
} from '../actions/escalation.js';
import type { JobDeps, JobModule } from './job-module.js';
import { singleQueueModule, type ModuleWorkerOptions } from './module-worker.js';

export type EscalationOutcome = 'escalated' | 'stopped' | 'not_found';

/** Runs step `step` at `now`: re-check, re-alert, record, schedule the next step. */
export async function processEscalation(services: JobDeps, job: EscalationJob, now = services.now()): Promise<EscalationOutcome> {
  const { code, step } = job;
  return withCaseLock(services, code, async () => {
    const state = await loadCase(services, code);
    if (!state) {
      services.log.warn({ code, step }, 'escalation: case not found');
      return 'not_found';
    }
    if (!awaitingAck(state)) return 'stopped'; // acknowledged or closed: nobody hears about it again
    const { report } = state;
    const commune = communeOf(services, report.communeId);
    if (!commune) {
      services.log.error({ code, communeId: report.communeId }, 'escalation: commune no longer configured');
      return 'not_found';
    }
    const steps = escalationSteps(commune);
    const roles = rolesForStep(report, commune, step);
    const before = step > 1 ? rolesForStep(report, commune, step - 1) : [...report.alertRoles];
    const added = roles.filter((r) => !before.includes(r));
    const waited = Math.max(1, Math.round((now - report.createdAt) / 60_000));
    const heading =
      `🔁 NHẮC LẦN ${step}: vụ khẩn cấp chưa có ai tiếp nhận sau ${waited} phút` +
      (added.length ? `\nĐã báo thêm: ${rolesText(added)}.` : '');
    const result = await sendCaseAlert(services, report, roles, alertMessage(report, commune, now, heading, Boolean(services.web)), realertKey(code, step), {
      preview: `nhắc lần ${step} vụ khẩn cấp ${code}`,
    });
    await services.cases.addEntryOnce(code, `esc-${step}`, {
      at: now,
      actor: 'system',
      kind: added.length ? 'escalated' : 're_alerted',
      text: `Bước ${step}/${steps}: báo lại ${rolesText(roles)} (${result.sent.length} người)${result.missing.length ? `; chưa có người: ${rolesText(result.missing)}` : ''}`,
    });
    if (step < steps) await scheduleEscalation(services, code, step + 1, now + ackDelayMs(commune));
    services.log.info({ code, step, recipients: result.sent.length }, 'escalation step sent');
    return 'escalated';
  });
}

export function createEscalationModule(opts: ModuleWorkerOptions = {}): JobModule {
  return singleQueueModule(ESCALATION_QUEUE, escalationJobSchema, 'escalation', processEscalation, opts);
}

export const escalationModule = createEscalationModule();
