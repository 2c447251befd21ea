/**
 * The catch-all's advice answer and menu name the child line of the commune of the person writing (their
 * role's commune, on their own address or one they linked, else the commune of their latest report), and the national 111 when no commune is
 * known: two communes with their own lines, through the local chat (real redis-server).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { twoCommunesConfig } from './helpers/communes.js';
import { LocalChatUser } from './helpers/local-chat.js';
import { sampleReport } from './helpers/reports.js';
import { startService, type TestService } from './helpers/service.js';

const BAO_LINH_LINE = '0208 3851 222';
const MINH_LONG_LINE = '0255 3822 111';
const ADVICE = 'xin tư vấn cách nuôi dạy con tuổi dậy thì';

let svc: TestService;
let dir: string;
const services = () => svc.runtime.services;
const chat = (id: string) => new LocalChatUser(() => svc.app, id);
const said = async (u: LocalChatUser, text: string) => (await u.say(text)).map((m) => m.text).join('\n');

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'advice-line-'));
  const file = twoCommunesConfig(dir, { sample: BAO_LINH_LINE, minhLong: MINH_LONG_LINE });
  svc = await startService({ CONFIG_FILE: file });
});
afterAll(async () => {
  await svc?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("the advice answer names the sender's commune's line", () => {
  it('for a village head of each commune', async () => {
    for (const [id, communeId, village, line, other] of [
      ['head-bl', 'bao-linh', 'Thôn Nà Ca', BAO_LINH_LINE, MINH_LONG_LINE],
      ['head-ml', 'minh-long', 'Thôn Hà Liệt', MINH_LONG_LINE, BAO_LINH_LINE],
    ] as const) {
      await services().roles.assign({ identity: `local:${id}`, communeId, role: 'village_head', village, since: Date.now() }, 'test');
      const reply = await said(chat(id), ADVICE);
      expect(reply).toContain(`bạn gọi ${line}`);
      expect(reply).not.toContain(other);
    }
  });

  it('on a channel the village head linked to their role (/lienket), the same commune', async () => {
    // The role is held on Telegram; the local address was linked to it.
    await services().roles.assign({ identity: 'telegram:5005', communeId: 'minh-long', role: 'village_head', village: 'Thôn Hà Liệt', since: Date.now() }, 'test');
    const code = await services().links.issueCode('telegram:5005');
    expect((await services().links.redeem(code, 'local:head-ml-linked')).ok).toBe(true);
    const reply = await said(chat('head-ml-linked'), ADVICE);
    expect(reply).toContain(`bạn gọi ${MINH_LONG_LINE}`);
    expect(reply).not.toContain(BAO_LINH_LINE);
  });

  it("for a citizen, from the commune of their latest report; the national 111 when none is known", async () => {
    await services().cases.create(sampleReport({ communeId: 'minh-long', village: 'Thôn Hà Liệt' }, { reporter: { identity: 'local:citizen-ml' } }));
    expect(await said(chat('citizen-ml'), ADVICE)).toContain(`bạn gọi ${MINH_LONG_LINE}`);
    const stranger = await said(chat('stranger'), ADVICE);
    expect(stranger).toContain('bạn gọi 111');
    expect(stranger).not.toMatch(new RegExp(`${BAO_LINH_LINE}|${MINH_LONG_LINE}`));
    // The menu of one not understood names the same line.
    expect(await said(chat('citizen-ml'), 'qwerty zxcv')).toContain(`gọi ${MINH_LONG_LINE}`);
  });
});
