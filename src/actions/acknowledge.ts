/**
 * Taking a case (acknowledgement), whoever asks: the first staff member takes it (`cases.take`, atomic),
 * inside the case lock, which an escalation step also holds; every pending re-alert and escalation step of
 * the case is removed, and the others who were alerted are told "<role> đã tiếp nhận <code>". The
 * escalation processor re-checks the case under the same lock, so after this nobody is alerted again.
 *
 * Someone who loses the race is told once: either by that notice or by the answer to their own press,
 * whichever comes first (a short-lived marker per case and person, `claimAckNotice`).
 */
import type { ReportSummary } from '../store/reports.js';
import type { TakeResult } from '../store/cases.js';
import type { Member } from '../store/roles.js';
import { alertedIdentities, withCaseLock } from './case-alerts.js';
import type { ActionDeps } from './deps.js';
import { memberName } from './people.js';
import { cancelEscalation } from './escalation.js';
import { notifyIdentities } from './notify.js';

/** How long a "someone took it" notice counts as just told: a press in that time gets no second message. */
const ACK_NOTICE_SECONDS = 600;

/**
 * True for the first of the two ways a person hears that someone else took the case (the notice to
 * those alerted, or the answer to their own late press) within ACK_NOTICE_SECONDS. The key is blinded.
 */
export async function claimAckNotice(services: Pick<ActionDeps, 'redis' | 'cipher'>, code: string, identity: string): Promise<boolean> {
  return (await services.redis.set(`acked:told:${services.cipher.blind(`${code}:${identity}`)}`, '1', 'EX', ACK_NOTICE_SECONDS, 'NX')) === 'OK';
}

export async function acknowledgeCase(services: ActionDeps, report: ReportSummary, member: Member, now: number): Promise<TakeResult> {
  const { code } = report;
  const result = await withCaseLock(services, code, async () => {
    const taken = await services.cases.take(code, member.identity, now);
    // Inside the lock: an escalation step either ran before (and its re-alerts are removed here if
    // still queued) or runs after and sees the case taken.
    if (taken.result === 'taken') await cancelEscalation(services, code);
    return taken;
  });
  if (result.result === 'taken') {
    const alerted = (await alertedIdentities(services, code)).filter((identity) => identity !== member.identity);
    const claimed = await Promise.all(alerted.map((identity) => claimAckNotice(services, code, identity)));
    const others = alerted.filter((_, i) => claimed[i]);
    await notifyIdentities(services, others, { text: `ℹ️ ${memberName(member)} đã tiếp nhận ${code}. Không cần tiếp nhận thêm.` }, `acked:${code}`, report.communeId, `đã tiếp nhận ${code}`);
    services.log.info({ code, role: member.role, told: others.length }, 'case acknowledged');
  }
  return result;
}
