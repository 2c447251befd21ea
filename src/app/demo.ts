/** The people offered on the local chat page, one per role, so a newcomer can try every part. */
import type { DemoUser } from '../bot/local/routes.js';

export const DEMO_USERS: DemoUser[] = [
  { id: 'nguoi-dan-1', label: 'Người dân 1' },
  { id: 'nguoi-dan-2', label: 'Người dân 2' },
  { id: 'can-bo', label: 'Cán bộ bảo vệ trẻ em' },
  { id: 'chu-tich', label: 'Chủ tịch UBND xã' },
  { id: 'cong-an', label: 'Công an xã' },
  { id: 'truong-thon', label: 'Trưởng thôn' },
  { id: 'quan-tri', label: 'Quản trị' },
];
