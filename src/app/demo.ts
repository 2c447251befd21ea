/**
 * The people offered on the local chat page, one per role, so a newcomer can try every part. Only in the
 * try-out mode (config tryOutMode: no platform token, no Redis named) do these get their roles without
 * an invite code. Anywhere else a demo role (one of these people's `local:` identities) is refused: a
 * leftover from a try-out run on a production Redis would otherwise count as an officer nobody reads.
 */
import type { DemoUser } from '../bot/local/routes.js';
import type { StaffRole } from '../config/communes.js';
import type { Services } from './services.js';

interface DemoPerson extends DemoUser {
  role?: StaffRole;
}

const PEOPLE: DemoPerson[] = [
  { id: 'nguoi-dan-1', label: 'Người dân 1' },
  { id: 'nguoi-dan-2', label: 'Người dân 2' },
  { id: 'can-bo', label: 'Cán bộ bảo vệ trẻ em', role: 'officer' },
  { id: 'chu-tich', label: 'Chủ tịch UBND xã', role: 'chair' },
  { id: 'cong-an', label: 'Công an xã', role: 'police' },
  { id: 'truong-thon', label: 'Trưởng thôn', role: 'village_head' },
  { id: 'can-bo-tinh', label: 'Cán bộ tỉnh', role: 'province' },
  { id: 'quan-tri', label: 'Quản trị', role: 'admin' },
];

export const DEMO_USERS: DemoUser[] = PEOPLE.map(({ id, label }) => ({ id, label }));

export const DEMO_IDENTITY_PREFIX = 'local:';

const DEMO_STAFF = new Set(PEOPLE.filter((p) => p.role).map((p) => `${DEMO_IDENTITY_PREFIX}${p.id}`));

/** Outside the try-out mode: demo roles hold nothing (the role store ignores them) and each is reported. */
export async function refuseDemoRoles(services: Services): Promise<void> {
  services.roles.refuse((identity) => DEMO_STAFF.has(identity));
  for (const identity of await services.roles.refusedMembers()) {
    services.log.error({ identity }, `a demo role is in this Redis outside the try-out mode: refused (never alerted). Remove it: npm run roles -- revoke ${identity}`);
  }
}

/** Gives the demo people their roles in the first configured commune (idempotent). */
export async function seedDemoRoles(services: Services): Promise<void> {
  const commune = services.config.communes[0];
  if (!commune) return;
  for (const p of PEOPLE) {
    if (!p.role) continue;
    const identity = `${DEMO_IDENTITY_PREFIX}${p.id}`;
    const current = await services.roles.get(identity);
    if (current?.role === p.role && current.communeId === commune.id) continue;
    const village = p.role === 'village_head' ? commune.villages[0]?.name : undefined;
    await services.roles.assign({ identity, communeId: commune.id, role: p.role, village, since: services.now() }, 'demo');
  }
}
