/**
 * Staff never get the citizen menu where a citizen would: a greeting, /start, "menu", "danh sách lệnh" or
 * a message not understood shows their own commands, trimmed to their role; a citizen still gets the
 * menu. Through the local chat (real redis-server).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalChatUser } from './helpers/local-chat.js';
import { startService, type TestService } from './helpers/service.js';

let svc: TestService;
const chat = (id: string) => new LocalChatUser(() => svc.app, id);
const said = async (u: LocalChatUser, text: string) => (await u.say(text)).map((m) => m.text).join('\n');
const CITIZEN_MENU = 'Đây là kênh bảo vệ trẻ em';

beforeAll(async () => {
  svc = await startService({});
  const roles = svc.runtime.services.roles;
  await roles.assign({ identity: 'local:officer', communeId: 'bao-linh', role: 'officer', since: Date.now() }, 'test');
  await roles.assign({ identity: 'local:admin', communeId: 'bao-linh', role: 'admin', since: Date.now() }, 'test');
});
afterAll(async () => {
  await svc?.stop();
});

describe('staff get their own commands, not the citizen menu', () => {
  it.each(['chào anh', '/start', 'menu', 'danh sách lệnh', 'alo'])('"%s" from an officer', async (message) => {
    const reply = await said(chat('officer'), message);
    expect(reply).toContain('Lệnh dành cho cán bộ');
    expect(reply).toContain('/nhan MÃ');
    expect(reply).not.toContain(CITIZEN_MENU);
  });

  it('a message not understood says so, with the commands of their role only', async () => {
    const reply = await said(chat('admin'), 'abc xyz qwe');
    expect(reply).toContain('chưa hiểu ý anh/chị');
    expect(reply).toContain('Lệnh dành cho cán bộ');
    expect(reply).toContain('/loigui');
    expect(reply).not.toContain('/nhan MÃ'); // an admin does not handle cases
    expect(reply).not.toContain(CITIZEN_MENU);
  });

  it('a button of an ended conversation: a short answer, without the citizen menu', async () => {
    const officer = chat('officer');
    const replies = await officer.press('nam');
    expect(replies.map((m) => m.text).join('\n')).toContain('đã xong rồi, anh/chị');
    expect(replies.flatMap((m) => m.choices ?? []).map((c) => c.value)).toEqual(['menu:report']);
  });

  it('a citizen still gets the menu', async () => {
    expect(await said(chat('citizen'), 'chào anh')).toContain(CITIZEN_MENU);
    const unknown = await said(chat('citizen'), 'abc xyz qwe');
    expect(unknown).toContain('chưa hiểu ý bạn');
    expect(unknown).toContain(CITIZEN_MENU);
  });
});
