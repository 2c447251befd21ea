/**
 * The `report` alert job (queued by src/actions/alert-queue.ts): reads the report and, by urgency,
 *   P0 → report.alertRoles (officer, chair, police) at once; escalation step 1 after the chain's ackMinutes;
 *   P1 → report.alertRoles (officer) at once; escalation step 1 likewise (its own, longer chain);
 *   P2 → into the commune's digest (digest.ts), which schedules its escalation;
 *   P3 → stored only, no alert.
 * P0–P2 also get their legal clock scheduled (src/jobs/clocks.ts). Each alert is queued in the outbox
 * with key `alert:<code>:<identity>`, so a job that runs again (its worker died half way, a retry) never
 * sends twice and still reaches whoever it had not reached. Roles nobody holds are reported to the
 * commune's admins. The timeline gets one `alerted` entry. A case already acknowledged or closed is not
 * alerted. When nobody holds the roles, the chain moves on at once (src/actions/alert-chain.ts).
 */
import type { CommuneConfig } from '../../config/communes.js';
import { alertMessage, rolesText } from '../../actions/alert-text.js';
import { awaitingAck, communeOf, loadCase, sendCaseAlert, withCaseLock, type CaseState } from '../../actions/case-alerts.js';
import { moveOnIfNobodyReached, recordStep } from '../../actions/alert-chain.js';
import { ackDelayMs, chainFor, scheduleEscalation } from '../../actions/escalation.js';
import { scheduleClocks } from '../clocks.js';
import type { JobDeps } from '../job-module.js';
import { addToDigest } from './digest.js';

export type AlertOutcome = 'alerted' | 'digest' | 'stored' | 'skipped' | 'not_found';

/** Handles the `report` job at `now`. Safe to run any number of times. */
export async function processReportAlert(services: JobDeps, reportCode: string, now = services.now()): Promise<AlertOutcome> {
  const state = await loadCase(services, reportCode);
  if (!state) {
    services.log.warn({ code: reportCode }, 'alert: report not found');
    return 'not_found';
  }
  const { report } = state;
  const commune = communeOf(services, report.communeId);
  if (!commune) {
    services.log.error({ code: reportCode, communeId: report.communeId }, 'alert: commune no longer configured');
    return 'not_found';
  }
  if (report.urgency === 'P3') return 'stored';
  const outcome = await alertOnce(services, state, commune, now);
  // Legal clocks run from receipt whoever takes the case (their processors stop them when done);
  // scheduled after the alert so they never delay it, and again on a re-run (same ids: no-op).
  await scheduleClocks(services, report, commune);
  return outcome;
}

async function alertOnce(services: JobDeps, state: CaseState, commune: CommuneConfig, now: number): Promise<AlertOutcome> {
  const { report } = state;
  if (!awaitingAck(state)) return 'skipped';
  if (report.urgency === 'P2') {
    await addToDigest(services, commune, report, now);
    return 'digest';
  }
  const sent = await withCaseLock(services, report.code, async () => {
    const fresh = await loadCase(services, report.code);
    if (!fresh || !awaitingAck(fresh)) return undefined;
    const result = await sendCaseAlert(services, report, report.alertRoles, alertMessage(report, commune, now, undefined, Boolean(services.web)), `alert:${report.code}`, {
      preview: `cảnh báo ${report.urgency} ${report.code}`,
    });
    await services.cases.addEntryOnce(report.code, 'alerted', {
      at: now,
      actor: 'system',
      kind: 'alerted',
      text: `Đã báo ${rolesText(report.alertRoles)} (${result.sent.length} người)${result.missing.length ? `; chưa có người: ${rolesText(result.missing)}` : ''}`,
    });
    await recordStep(services, report.code, 0);
    const chain = chainFor(commune, report);
    if (chain) await scheduleEscalation(services, report.code, 1, now + ackDelayMs(chain));
    services.log.info({ code: report.code, urgency: report.urgency, recipients: result.sent.length }, 'alert queued for delivery');
    return result.sent.length;
  });
  if (sent === undefined) return 'skipped';
  if (sent === 0) await moveOnIfNobodyReached(services, report.code);
  return 'alerted';
}
