/**
 * A commune configured in another time zone (America/New_York, 11–12 hours behind Vietnam, so its day
 * begins and ends at other instants): status answers, reminders and the Zalo window's once-a-day notice
 * follow the commune's own clock, not Vietnam's. Real redis-server, the fake Zalo OA, real outbox; the
 * service clock is set to chosen instants.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutgoingMessage } from '../src/messaging/message.js';
import { runReminderTick } from '../src/jobs/reminders.js';
import { startZaloHarness, type ZaloHarness } from './helpers/channels.js';
import { deadLetterFor, outboxIdle } from './helpers/outbox-wait.js';
import { until } from './helpers/wait.js';

const COMMUNE = 'bao-linh';
const ZONE = 'America/New_York';
const VILLAGE_HEADS = ['tz-naca', 'tz-banpieng', 'tz-khuoitat', 'tz-dongtam'];
const VILLAGES = ['Thôn Nà Ca', 'Thôn Bản Piềng', 'Thôn Khuổi Tát', 'Thôn Đồng Tâm'];
const OFFICER = 'tz-officer';

let dir: string;
let h: ZaloHarness;
/** The service clock. */
let clock = Date.parse('2025-11-10T18:00:00Z');

beforeAll(async () => {
  // The sample commune, moved to another zone: everything else as in the example file.
  dir = mkdtempSync(join(tmpdir(), 'treem-tz-'));
  const example = readFileSync('config/communes.example.yaml', 'utf8');
  expect(example).toContain('timezone: Asia/Ho_Chi_Minh');
  const configFile = join(dir, 'communes.yaml');
  writeFileSync(configFile, example.replace('timezone: Asia/Ho_Chi_Minh', `timezone: ${ZONE}`));
  h = await startZaloHarness({ now: () => clock, env: { CONFIG_FILE: configFile } });
  expect(h.svc.config.communes[0]?.timezone).toBe(ZONE);
  const roles = h.svc.runtime.services.roles;
  await roles.assign({ identity: `local:${OFFICER}`, communeId: COMMUNE, role: 'officer', since: clock }, 'test');
  for (const [i, id] of VILLAGE_HEADS.entries()) {
    await roles.assign({ identity: `local:${id}`, communeId: COMMUNE, role: 'village_head', village: VILLAGES[i], since: clock }, 'test');
  }
});
afterAll(async () => {
  await h?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const services = () => h.svc.runtime.services;

async function localInbox(id: string): Promise<string[]> {
  return (await h.svc.runtime.inbox.read(id)).filter((e) => e.from === 'service').map((e) => e.message.text);
}

describe('a commune in America/New_York', () => {
  it('answers status questions with the commune\'s local date and time', async () => {
    // 18:00 UTC: 13:00 on 10/11 in New York, already 01:00 on 11/11 in Vietnam.
    clock = Date.parse('2025-11-10T18:00:00Z');
    const u = h.user(1);
    await u.say('tôi muốn báo cáo');
    for (const answer of ['5', 'na ca', 'Cháu bé hàng xóm hay bị bố đánh, có vết bầm trên tay', 'hom qua', '8 tuổi', 'nu', 'khong', 'bỏ qua', 'bo qua', 'an danh']) {
      await u.say(answer);
    }
    const code = (await u.say('gửi')).join('\n').match(/TE-[0-9A-Z]{6}/)?.[0];
    expect(code).toBeDefined();
    clock += 60_000;
    const status = (await u.say(`/trangthai ${code}`)).join('\n');
    expect(status).toContain('Gửi lúc: 13:00 10/11/2025');
    expect(status).not.toContain('11/11/2025');
  });

  it('keeps quiet hours and reminder days by the commune\'s clock', async () => {
    // August's counts are due on 25/09; the first reminder is three days before, on 22/09.
    // 01:00 UTC on 22/09 is 08:00 in Vietnam but 21:00 on 21/09 in New York: night there, nothing goes.
    const night = await runReminderTick(services(), Date.parse('2025-09-22T01:00:00Z'));
    expect(night).toMatchObject({ quiet: 1, queued: 0 });
    // 18:00 UTC on 22/09 is 14:00 on 22/09 in New York (01:00 on 23/09 in Vietnam, a quiet hour there).
    const afternoon = await runReminderTick(services(), Date.parse('2025-09-22T18:00:00Z'));
    expect(afternoon).toMatchObject({ quiet: 0, queued: VILLAGE_HEADS.length });
    await until(async () => (await localInbox('tz-naca')).length === 1, 15_000, 'the reminder');
    expect((await localInbox('tz-naca'))[0]).toContain('hạn chót là ngày 25/09/2025 (còn 3 ngày)');
  });

  it('tells the officer once per New York day that Zalo refused a message for the 7-day window', async () => {
    const u = '8412345678900000001';
    await h.svc.runtime.zalo!.window.markClosed(u);
    const before = (await localInbox(OFFICER)).length;
    const refused = async (key: string, at: string): Promise<void> => {
      clock = Date.parse(at);
      const message: OutgoingMessage = { text: 'Tình trạng báo cáo của bạn: Đang xử lý' };
      await services().outbox.enqueue({ to: { channel: 'zalo', chatId: u }, message, key, communeId: COMMUNE, preview: 'test notice' });
      expect((await deadLetterFor(h.svc, COMMUNE, key)).reason).toBe('outside_window');
      await outboxIdle(h.svc, ['zalo', 'local']);
    };
    const notices = async () => (await localInbox(OFFICER)).slice(before).filter((t) => t.includes('hơn 7 ngày không nhắn cho kênh Zalo'));

    // 15:00 UTC: 10:00 on 10/11 in New York (22:00 on 10/11 in Vietnam).
    await refused('tz-window-1', '2025-11-10T15:00:00Z');
    await until(async () => (await notices()).length === 1, 15_000, 'the first notice');
    // 18:00 UTC: still 10/11 in New York (already 11/11 in Vietnam): the same day, no second notice.
    await refused('tz-window-2', '2025-11-10T18:00:00Z');
    expect(await notices()).toHaveLength(1);
    // 06:00 UTC on 11/11: 01:00 on 11/11 in New York (still the 11th in Vietnam): a new day, a new notice.
    await refused('tz-window-3', '2025-11-11T06:00:00Z');
    await until(async () => (await notices()).length === 2, 15_000, 'the next day\'s notice');
  });
});
