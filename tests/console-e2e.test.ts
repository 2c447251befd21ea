/**
 * The web console end to end, in a real headless Chromium against the whole service (real
 * redis-server, background workers, the fake Bot API as Telegram): a citizen reports with a photo by
 * chat; the officer presses "Mở trên máy tính" under the alert, signs in by the link the service sends
 * in chat and lands on the case, finds it in the worklist,
 * sees the photo (fetched by the server from the Bot API), takes and closes the case, and the reporter
 * hears of it in chat; village heads send counts by chat and the grid and the report download show
 * them; strangers and old links are refused. With SCREENSHOTS_DIR set, screenshots of the main pages go there.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaffRole } from '../src/config/communes.js';
import { dayFields, localDay } from '../src/domain/local-time.js';
import { SignInLinks } from '../src/store/web-links.js';
import { startBrowser } from './helpers/browser.js';
import { startConsoleService, type ConsoleService } from './helpers/console.js';
import { solidPng } from './helpers/png.js';
import { buttonUpdate, mediaUpdate } from './helpers/telegram-updates.js';
import { twoCommunesConfig } from './helpers/communes.js';
import { until } from './helpers/wait.js';

/** The README's screenshots are refreshed only when asked (SCREENSHOTS_DIR=docs/screenshots), so a test run leaves the tree clean. */
const SHOTS = process.env.SCREENSHOTS_DIR;
const CITIZEN = 810_001;
const OFFICER = 810_002;
const STRANGER = 810_003; // officer of another commune
const HEAD_A = 810_004;
const HEAD_B = 810_005;

let h: ConsoleService;
let browser: Browser;
let dir: string;
let code = '';
const services = () => h.svc.runtime.services;

async function giveRole(chatId: number, role: StaffRole, communeId = 'bao-linh', village?: string): Promise<void> {
  await services().roles.assign({ identity: `telegram:${chatId}`, communeId, role, village, since: Date.now() }, 'test');
}

/** The texts the service sent to a chat, in order. */
const textsTo = (chatId: number) => h.fake.delivered().filter((c) => String(c.payload.chat_id) === String(chatId)).map((c) => String(c.payload.text));

const LINK = /http:\/\/127\.0\.0\.1:\d+\/console\/dang-nhap\?t=[A-Za-z0-9_-]{43}/;

/** The sign-in link the service sends in chat for `/web` (or for a pressed "Mở trên máy tính" button). */
async function linkFromChat(chatId: number, button?: string): Promise<string> {
  const before = textsTo(chatId).length;
  if (button) await h.post(buttonUpdate(chatId, button));
  else await h.say(chatId, '/web');
  const link = LINK.exec(textsTo(chatId).slice(before).join('\n'))?.[0];
  if (!link) throw new Error(`no sign-in link in: ${textsTo(chatId).slice(before).join(' | ')}`);
  return link;
}

/** A link made directly, as one issued before a role ended or one that expires at once. */
async function storeLink(chatId: number, communeId: string, ttlSeconds: number): Promise<string> {
  const token = await new SignInLinks(services().redis, services().cipher, ttlSeconds).issue({ identity: `telegram:${chatId}`, communeId });
  return `${h.baseUrl}/console/dang-nhap?t=${token}`;
}

async function signIn(page: Page, link: string): Promise<void> {
  await page.goto(link);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.waitForLoadState('domcontentloaded');
}

async function shot(page: Page, name: string): Promise<void> {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'treem-console-'));
  const config = twoCommunesConfig(dir);
  h = await startConsoleService({ CONFIG_FILE: config });
  browser = await startBrowser();
  await giveRole(OFFICER, 'officer');
  await giveRole(STRANGER, 'officer', 'minh-long');
  await giveRole(HEAD_A, 'village_head', 'bao-linh', 'Thôn Nà Ca');
  await giveRole(HEAD_B, 'village_head', 'bao-linh', 'Thôn Bản Piềng');
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await h?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('the web console in a browser', () => {
  it('takes an officer from a link in chat to a case with its photo, and through taking and closing it', async () => {
    // A citizen reports by chat, with a photo.
    h.fake.addFile('photo-e2e', solidPng(48, 32, [200, 40, 40]), 'photos/file_7.png');
    for (const text of ['tôi muốn báo cáo', 'Xã Bảo Linh', 'Bạo lực, đánh đập', 'na ca']) await h.say(CITIZEN, text);
    await h.post(mediaUpdate(CITIZEN, { kind: 'photo', ref: 'photo-e2e', caption: 'Cháu bé hàng xóm hay bị bố đánh, có vết bầm trên tay' }));
    for (const text of ['hom qua', '8 tuổi', 'Nữ', 'khong', 'bỏ qua', 'bo qua', 'an danh']) await h.say(CITIZEN, text);
    const done = (await h.say(CITIZEN, 'gửi')).map((c) => String(c.payload.text)).join('\n');
    code = /TE-[0-9A-Z]{6}/.exec(done)?.[0] ?? '';
    expect(code).toMatch(/^TE-/);
    await until(() => textsTo(OFFICER).some((t) => t.includes(code)), 10_000, 'the officer alert');
    const alert = h.fake.delivered().find((c) => String(c.payload.chat_id) === String(OFFICER) && String(c.payload.text).includes(code))!;
    const buttons = (alert.payload.reply_markup as { inline_keyboard: Array<Array<{ text: string; callback_data: string }>> }).inline_keyboard.flat();
    const open = buttons.find((b) => b.text === '💻 Mở trên máy tính')!;
    expect(open.callback_data).toBe(`web:${code}`);
    expect(String(alert.payload.text)).not.toContain('Cháu bé'); // the alert itself stays without details

    // The button under the alert: a link in chat that opens this case right after signing in.
    const page = await browser.newPage();
    await signIn(page, await linkFromChat(OFFICER, open.callback_data));
    expect(page.url()).toBe(`${h.baseUrl}/console/vu-viec/${code}`);
    await page.goto(`${h.baseUrl}/console/`);
    const row = page.locator('tr', { hasText: code });
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.innerText()).toMatch(/Bạo lực.*Thôn Nà Ca.*Mới.*Hạn kế hoạch hỗ trợ: còn/s);
    await shot(page, 'worklist');

    await page.getByRole('link', { name: code }).click();
    await page.waitForLoadState('load');
    expect(await page.locator('main').innerText()).toContain('Cháu bé hàng xóm hay bị bố đánh');
    // Before the case is taken there is no box to ask the reporter: the page says when there will be.
    expect(await page.locator('main').innerText()).toContain('người giữ vụ việc hỏi thêm được sau khi tiếp nhận');
    const photo = page.locator('img.photo');
    await expect.poll(() => photo.evaluate((el) => {
      const img = el as unknown as { complete: boolean; naturalWidth: number };
      return img.complete && img.naturalWidth;
    })).toBe(48);
    expect(h.fake.downloads).toContain('photos/file_7.png');
    expect(await photo.getAttribute('src')).toBe(`/console/vu-viec/${code}/tep/1`); // our server, not the platform

    await page.getByRole('button', { name: 'Tiếp nhận', exact: true }).click();
    expect(await page.locator('.flash').innerText()).toContain(`Bạn đã tiếp nhận vụ việc ${code}`);
    expect(await page.locator('main').innerText()).toContain('hỏi thêm được ở ô "Câu hỏi gửi người báo" bên dưới');
    await until(() => textsTo(CITIZEN).some((t) => t.includes('đang được xử lý')), 10_000, 'the reporter told the case is in hand');
    await shot(page, 'case');

    await page.locator(`form[action="/console/vu-viec/${code}/close"] textarea`).fill('Đã làm việc với gia đình, cháu an toàn');
    await page.getByRole('button', { name: 'Đóng vụ việc', exact: true }).click();
    expect(await page.locator('.flash').innerText()).toContain(`Đã đóng vụ việc ${code}`);
    expect(await page.locator('.timeline').innerText()).toContain('Đã làm việc với gia đình, cháu an toàn');
    await until(() => textsTo(CITIZEN).some((t) => t.includes('đã được xử lý xong')), 10_000, 'the reporter told the case is closed');
    // Nothing of the case in the address bar: only its code.
    expect(page.url()).toBe(`${h.baseUrl}/console/vu-viec/${code}`);

    const views = (await services().audit.forSubject(code)).filter((e) => e.actor === `telegram:${OFFICER}`);
    expect(views.map((e) => e.action)).toEqual(expect.arrayContaining(['report.view', 'report.attachment', 'case.acknowledged', 'case.closed']));
    await page.close();
  });

  it('shows the counts village heads sent in the grid and in the report download', async () => {
    const today = dayFields(localDay(Date.now(), 'Asia/Ho_Chi_Minh'));
    const prev = today.month === 1 ? { year: today.year - 1, month: 12 } : { year: today.year, month: today.month - 1 };
    const label = `tháng ${prev.month}/${prev.year}`;
    await h.say(HEAD_A, `${label}: sinh 3, tử vong 0, tai nạn 1, đuối nước 0, xâm hại 0`);
    expect(textsTo(HEAD_A).at(-1)).toContain('Thôn Nà Ca');
    await h.say(HEAD_A, 'có');
    await h.say(HEAD_B, `${label}: sinh 2, tử vong 1, tai nạn 0, đuối nước 0, xâm hại 0`);
    await h.say(HEAD_B, 'có');
    expect(textsTo(HEAD_B).at(-1)).toContain('Đã lưu số liệu');

    const page = await browser.newPage({ acceptDownloads: true });
    await signIn(page, await linkFromChat(OFFICER));
    await page.goto(`${h.baseUrl}/console/so-lieu?nam=${prev.year}`);
    const column = `T${prev.month}/${prev.year}`;
    const cellOf = async (village: string) => {
      const headers = await page.locator('table.grid thead th').allInnerTexts();
      const index = headers.indexOf(column);
      return page.locator('table.grid tbody tr', { hasText: village }).locator('td').nth(index - 1).innerText();
    };
    expect(await cellOf('Thôn Nà Ca')).toBe('Đúng hạn');
    expect(await cellOf('Thôn Bản Piềng')).toBe('Đúng hạn');
    expect((await cellOf('Thôn Khuổi Tát')).trim()).toBe('—');
    expect(await page.locator('figure.chart', { hasText: 'Trẻ em sinh ra' }).locator('text.value').allTextContents()).toContain('5');
    // A row nobody gave a number for that month is drawn "—", not a zero bar ("bóc lột" is 0: "xâm hại 0" tells its sub-rows).
    const labour = page.locator('figure.chart', { hasText: 'bóc lột' });
    expect(await labour.locator('text.value').allTextContents()).toContain('0');
    const dropout = page.locator('figure.chart', { hasText: 'bỏ học' });
    expect(await dropout.locator('text.value').allTextContents()).toEqual([]);
    expect(await dropout.locator('text.missing').count()).toBe(await page.locator('figure.chart', { hasText: 'Trẻ em sinh ra' }).locator('text.axis').count());
    await shot(page, 'counts');

    const half = prev.month <= 6 ? 'H1' : 'H2';
    await page.goto(`${h.baseUrl}/console/bao-cao?ky=${prev.year}-${half}`);
    await shot(page, 'report');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Tải báo cáo (XLSX)' }).click()]);
    const file = join(dir, 'bao-cao.xlsx');
    await download.saveAs(file);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(file);
    const sheet = book.getWorksheet('Báo cáo')!;
    expect(sheet.getCell('A1').value).toBe('UBND XÃ BẢO LINH');
    expect(sheet.getCell('C1').value).toBe('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    expect(sheet.getCell('B1').isMerged).toBe(true);
    expect(sheet.getCell('A5').value).toBe('BÁO CÁO');
    expect(String(sheet.getCell('A6').value)).toContain(String(prev.year));
    expect(sheet.getColumn(2).width).toBeGreaterThan(40);
    const rowOf = (label: string) => sheet.getRows(1, sheet.rowCount)!.find((r) => r.getCell(2).value === label);
    const births = rowOf('Trẻ em sinh ra')!;
    expect(births.getCell(3).value).toBe(5); // this period: 3 + 2
    expect(births.getCell(4).value).toBe('—'); // nobody sent anything a year earlier: missing, not 0
    expect(births.getCell(5).value).toBe('—');
    expect(rowOf('Trẻ em tử vong')!.getCell(3).value).toBe(1);
    const annex = book.getWorksheet('Số liệu theo thôn')!;
    const annexRow = (v: string) => annex.getRows(1, annex.rowCount)!.find((r) => r.getCell(1).value === v)!;
    expect(annexRow('Thôn Khuổi Tát').getCell(3).value).toBe('—');
    expect(annexRow('Thôn Nà Ca').getCell(3).value).toBe(3);
    expect((await services().audit.between(0, Date.now() + 1000, 100)).some((e) => e.action === 'web.export' && e.actor === `telegram:${OFFICER}`)).toBe(true);
    await page.close();
  });

  it('refuses an officer of another commune, a citizen, and a used or expired link', async () => {
    const page = await browser.newPage();
    await signIn(page, await linkFromChat(STRANGER));
    await page.goto(`${h.baseUrl}/console/vu-viec/${code}`);
    expect(await page.locator('main').innerText()).toContain('Không tìm thấy vụ việc này trong xã của bạn');
    expect(await page.locator('main').innerText()).not.toContain('Cháu bé');
    await page.goto(`${h.baseUrl}/console/`);
    expect(await page.locator('main').innerText()).not.toContain(code);
    await page.close();

    // A citizen asking for the console gets no link; a link made for them is refused all the same.
    const before = textsTo(CITIZEN).length;
    await h.say(CITIZEN, '/web');
    const answer = textsTo(CITIZEN).slice(before).join('\n');
    expect(answer).toContain('chỉ dành cho cán bộ xã');
    expect(answer).not.toMatch(LINK);
    const citizen = await browser.newPage();
    await signIn(citizen, await storeLink(CITIZEN, 'bao-linh', 300));
    expect(await citizen.locator('main').innerText()).toContain('chỉ dành cho cán bộ xã');
    await citizen.goto(`${h.baseUrl}/console/`);
    expect(await citizen.locator('h1').innerText()).toBe('Chưa đăng nhập');
    await citizen.close();

    const link = await linkFromChat(OFFICER);
    const first = await browser.newPage();
    await signIn(first, link);
    expect(await first.locator('h1').innerText()).toBe('Vụ việc');
    const again = await browser.newPage();
    await signIn(again, link);
    expect(await again.locator('main').innerText()).toContain('đã được dùng hoặc đã hết hạn');

    // Signing out everywhere from chat ends the session in the browser.
    expect((await h.say(OFFICER, '/thoatweb')).map((c) => String(c.payload.text)).join('')).toContain('Đã đăng xuất trang quản lý');
    await first.reload();
    expect(await first.locator('h1').innerText()).toBe('Chưa đăng nhập');

    const expired = await storeLink(OFFICER, 'bao-linh', 1);
    await new Promise((r) => setTimeout(r, 2100));
    const late = await browser.newPage();
    await signIn(late, expired);
    expect(await late.locator('main').innerText()).toContain('đã được dùng hoặc đã hết hạn');
    await Promise.all([first.close(), again.close(), late.close()]);
  });
});
