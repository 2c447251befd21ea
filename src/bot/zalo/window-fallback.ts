/**
 * The outbox's dead-letter hook for Zalo messages refused for the 7-day window (window.ts): it delivers
 * the message on another channel the person has linked, or tells the commune's officers and admins.
 *
 * Linking (the simplest honest rule, no extra data): staff identities on other channels that hold the
 * same role record (same commune, role and village) as the Zalo identity count as linked. A village head
 * who registered on Zalo and on Telegram with two invite codes is therefore reached on Telegram. For a
 * role several people hold (officers of a commune), the message goes to a colleague with the same role,
 * which is what a role message (alert, reminder) is for; citizens have no role, so for them an officer
 * is told instead.
 */
import { resendTo } from '../../actions/linked-reroute.js';
import { timezoneOf } from '../../config/communes.js';
import { localDay } from '../../domain/local-time.js';
import type { ActionDeps } from '../../actions/deps.js';
import { notifyRoles } from '../../actions/notify.js';
import type { DeadLetter } from '../../actions/outbox/dead-letters.js';
import { addressOfIdentity } from '../../messaging/message.js';
import { ROLE_LABEL, type Member } from '../../store/roles.js';
import { zaloUserTag } from './user-tag.js';

type FallbackServices = Pick<ActionDeps, 'roles' | 'outbox' | 'config' | 'log' | 'now' | 'cipher'>;

/** Purpose of the officer notice; a notice that itself cannot go is not announced again. */
const NOTICE_PURPOSE = 'zalo-window';

/**
 * The dead letter carries no message text (it is shown to admins), so the message is read back from the
 * outbox, which still holds the job while the hook runs (the hook runs before the job fails).
 */
export class ZaloWindowFallback {
  constructor(private readonly services: FallbackServices) {}

  /** True when it dealt with the dead letter (so the general dead-letter announcement is not needed). */
  async onDeadLetter(dl: DeadLetter): Promise<boolean> {
    if (dl.to.channel !== 'zalo' || dl.reason !== 'outside_window') return false;
    const { services } = this;
    const identity = `zalo:${dl.to.chatId}`;
    const member = await services.roles.get(identity);

    const linked = member ? await this.linkedIdentities(identity, member) : [];
    if (linked.length > 0 && (await resendTo(services, dl, identity, linked))) {
      services.log.info({ purpose: dl.key.split(':')[0], linked: linked.length }, 'zalo window closed: sent on a linked channel');
      return true;
    }

    if (dl.key.startsWith(`${NOTICE_PURPOSE}:`)) {
      services.log.warn('a zalo window notice could not be delivered either; not announcing it again');
      return true;
    }
    const communeId = member?.communeId ?? dl.communeId ?? soleCommune(services.config.communes);
    if (!communeId) {
      services.log.warn({ purpose: dl.key.split(':')[0] }, 'zalo window closed and no commune to tell');
      return true;
    }
    const who = member ? `${ROLE_LABEL[member.role]}${member.village ? ` ${member.village}` : ''}` : 'một người dân liên hệ qua Zalo';
    const text =
      `⚠️ Chưa gửi được tin qua Zalo tới ${who}: người này đã hơn 7 ngày không nhắn cho kênh Zalo của xã nên Zalo không cho gửi. ` +
      'Xin liên hệ trực tiếp (gọi điện, gặp mặt), hoặc nhờ họ nhắn một tin bất kỳ cho kênh Zalo của xã. Quản trị viên xem chi tiết bằng /loigui.';
    // One notice per person per local day of the commune told, however many messages were refused.
    const day = localDay(services.now(), timezoneOf(services.config, communeId));
    const sent = await notifyRoles(services, communeId, ['officer', 'admin'], { text }, `${NOTICE_PURPOSE}:${zaloUserTag(services.cipher)(dl.to.chatId)}:${day}`, {
      exclude: [identity],
      preview: 'zalo window closed',
    });
    services.log.info({ communeId, told: sent.length }, 'zalo window closed: officers told');
    return true;
  }

  /** Reachable identities on other channels holding the same role record. */
  private async linkedIdentities(identity: string, member: Member): Promise<string[]> {
    const { roles, outbox } = this.services;
    const same = await roles.members(member.communeId, member.role);
    const out: string[] = [];
    for (const m of same) {
      if (m.identity === identity || m.identity.startsWith('zalo:') || m.village !== member.village) continue;
      if (!(await outbox.isUnreachable(addressOfIdentity(m.identity)))) out.push(m.identity);
    }
    return out;
  }
}

function soleCommune(communes: readonly { id: string }[]): string | undefined {
  return communes.length === 1 ? communes[0]?.id : undefined;
}
