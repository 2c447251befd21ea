/**
 * `npm run invite -- --commune <id> --role <role> [--village <name>] [--days N]`: prints a one-time code
 * the person sends as "/dangky CODE" on any channel.
 */
import { parseArgs } from 'node:util';
import { STAFF_ROLES, type StaffRole } from '../config/communes.js';
import { matchVillage } from '../domain/villages.js';
import { RoleStore, ROLE_LABEL } from '../store/roles.js';
import { connectCli, runCli } from './connect.js';

runCli(async () => {
  const { values } = parseArgs({ options: { commune: { type: 'string' }, role: { type: 'string' }, village: { type: 'string' }, days: { type: 'string' } } });
  const { config, redis, audit, actor, cipher } = await connectCli();
  try {
    const commune = config.communes.find((c) => c.id === values.commune);
    if (!commune) {
      console.error(`--commune must be one of: ${config.communes.map((c) => c.id).join(', ')}`);
      return 2;
    }
    if (!values.role || !STAFF_ROLES.includes(values.role as StaffRole)) {
      console.error(`--role must be one of: ${STAFF_ROLES.join(', ')}`);
      return 2;
    }
    const role = values.role as StaffRole;
    let village: string | undefined;
    if (role === 'village_head') {
      village = values.village ? matchVillage(values.village, commune) : undefined;
      if (!village) {
        console.error(`--village is required for a village head and must be one of: ${commune.villages.map((v) => v.name).join(', ')}`);
        return 2;
      }
    }
    const days = values.days ? Number(values.days) : config.inviteTtlDays;
    if (!(days > 0)) {
      console.error('--days must be a positive number');
      return 2;
    }
    const invite = await new RoleStore(redis, audit, cipher).createInvite({ communeId: commune.id, role, village, ttlDays: days, createdBy: actor });
    console.log(`Mã mời: ${invite.code}`);
    console.log(`Vai trò: ${ROLE_LABEL[role]}${village ? ` — ${village}` : ''} — ${commune.name}`);
    console.log(`Hết hạn: ${new Date(invite.expiresAt).toISOString()} (dùng một lần)`);
    console.log(`Người nhận gửi cho bot: /dangky ${invite.code}`);
    return 0;
  } finally {
    redis.disconnect();
  }
});
