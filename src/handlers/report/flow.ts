/**
 * The citizen's report conversation (Mẫu 01 fields, docs/domain.md §4). Short Vietnamese prompts, buttons on
 * channels that have them, typed answers everywhere; anonymous by default.
 *
 * Longer than most files on purpose: it is one conversation, its questions written in the order they are
 * asked, then saving; split up, a reader would have to jump between files to follow what a citizen sees.
 */
import { randomUUID } from 'node:crypto';
import { reportConfirmed } from '../../actions/alert-queue.js';
import type { CommuneConfig } from '../../config/communes.js';
import { CATEGORIES, type CategoryKey } from '../../domain/categories.js';
import { classifyText } from '../../domain/urgency.js';
import { matchVillage } from '../../domain/villages.js';
import { parseYesNo } from '../../text/vietnamese.js';
import type { TurnContext } from '../turn.js';
import type { Flow, Step, StepResult } from '../flow.js';
import { alertRolesFor, draftUrgency, emergencyNotice, summarize, UNKNOWN_VILLAGE, type ReportDraft } from './draft.js';

export const REPORT_FLOW = 'report';
const MIN_DESCRIPTION = 5;
const SKIP = { label: 'Bỏ qua', value: 'skip', aliases: ['bo qua', 'khong biet', 'khong ro', 'ko biet', 'k biet', 'khong'] };
const UNKNOWN = { label: 'Không rõ', value: 'unknown', aliases: ['khong biet', 'ko biet', 'k biet', 'ko ro', 'k ro', 'chua ro'] };

function communeOf(d: ReportDraft, ctx: TurnContext): CommuneConfig {
  const c = ctx.commune(d.communeId ?? '') ?? ctx.communes[0];
  if (!c) throw new Error('no commune configured');
  return c;
}

/** The category a piece of free text points to, most urgent first; undefined when nothing matched. */
export function categoryFromText(text: string): CategoryKey | undefined {
  return classifyText(text).categories[0];
}

const communeStep: Step<ReportDraft> = {
  id: 'commune',
  skip: (d) => Boolean(d.communeId),
  prompt: (_d, ctx) => ({
    text: 'Việc này xảy ra ở xã nào?',
    choices: ctx.communes.map((c) => ({ label: c.name, value: c.id })),
  }),
  answer: (d, input) => {
    if (!input.choice) return { error: 'Xin chọn một xã trong danh sách (bấm nút hoặc gõ số thứ tự).' };
    d.communeId = input.choice;
    return {};
  },
};

const categoryStep: Step<ReportDraft> = {
  id: 'category',
  skip: (d) => Boolean(d.category),
  prompt: () => ({
    text: 'Bạn muốn báo về việc gì? Chọn một mục, hoặc kể ngắn gọn sự việc.',
    choices: CATEGORIES.map((c) => ({ label: c.label, value: c.key })),
  }),
  answer: (d, input) => {
    const picked = input.choice as CategoryKey | undefined;
    if (picked) {
      d.category = picked;
      return {};
    }
    const guessed = categoryFromText(input.text);
    if (!guessed) return { error: 'Mình chưa rõ đây là việc gì. Xin chọn một mục gần đúng nhất (hoặc "Việc khác").' };
    d.category = guessed;
    if (input.text.length >= MIN_DESCRIPTION) d.description = input.text;
    return {};
  },
};

const villageStep: Step<ReportDraft> = {
  id: 'village',
  skip: (d) => Boolean(d.village),
  prompt: (d, ctx) => ({
    text: 'Việc xảy ra ở thôn/xóm nào?',
    choices: [...communeOf(d, ctx).villages.map((v) => ({ label: v.name, value: v.name })), { ...UNKNOWN, label: 'Không rõ / nơi khác' }],
  }),
  answer: (d, input, ctx) => {
    if (input.choice === 'unknown') d.village = UNKNOWN_VILLAGE;
    else d.village = input.choice ?? matchVillage(input.text, communeOf(d, ctx));
    if (!d.village) return { error: 'Mình không tìm thấy thôn này. Xin chọn trong danh sách, hoặc chọn "Không rõ / nơi khác".' };
    return {};
  },
};

const descriptionStep: Step<ReportDraft> = {
  id: 'description',
  skip: (d) => Boolean(d.description),
  prompt: () => ({ text: 'Xin kể ngắn gọn chuyện gì đã xảy ra. Bạn có thể gửi kèm ảnh hoặc tệp.' }),
  answer: (d, input) => {
    d.attachments.push(...input.media.filter((m) => m.kind !== 'sticker'));
    if (input.text.length >= MIN_DESCRIPTION) {
      d.description = input.text;
      return {};
    }
    if (input.media.length) return { error: 'Đã nhận tệp đính kèm. Xin kể thêm vài câu về sự việc.' };
    return { error: 'Xin kể thêm một chút (ít nhất vài từ) để cán bộ hiểu sự việc.' };
  },
};

const whenStep: Step<ReportDraft> = {
  id: 'when',
  prompt: () => ({
    text: 'Việc này xảy ra khi nào?',
    choices: [
      { label: 'Đang xảy ra', value: 'Đang xảy ra', aliases: ['bay gio', 'ngay bay gio', 'dang dien ra'] },
      { label: 'Hôm nay', value: 'Hôm nay' },
      { label: 'Mấy ngày trước', value: 'Mấy ngày trước', aliases: ['hom qua', 'tuan nay'] },
      { label: 'Đã lâu', value: 'Đã lâu', aliases: ['lau roi', 'thang truoc'] },
      { ...UNKNOWN, value: 'Không rõ' },
    ],
  }),
  answer: (d, input) => {
    d.when = input.choice ?? input.text.slice(0, 200);
    if (!d.when) return { error: 'Xin chọn một mục hoặc gõ thời gian (ví dụ: tối qua).' };
    if (d.when === 'Đang xảy ra') d.inDanger = 'yes';
    return {};
  },
};

const ageStep: Step<ReportDraft> = {
  id: 'age',
  prompt: () => ({
    text: 'Trẻ khoảng bao nhiêu tuổi? Chọn một mục hoặc gõ số tuổi.',
    choices: [
      { label: 'Dưới 6 tuổi', value: 'dưới 6 tuổi' },
      { label: 'Từ 6 đến 11 tuổi', value: '6–11 tuổi' },
      { label: 'Từ 12 đến 15 tuổi', value: '12–15 tuổi' },
      { label: 'Từ 16 đến 17 tuổi', value: '16–17 tuổi' },
      { ...UNKNOWN, value: 'không rõ tuổi' },
    ],
  }),
  answer: (d, input) => {
    if (input.choice) {
      d.childAge = input.choice;
      return {};
    }
    const m = input.folded.match(/^(\d{1,2})( tuoi)?( rưỡi| ruoi)?$/);
    const age = m ? Number(m[1]) : NaN;
    if (Number.isNaN(age)) return { error: 'Xin gõ số tuổi (ví dụ: 8) hoặc chọn một mục.' };
    if (age >= 18) {
      return { error: 'Dịch vụ này dành cho trẻ dưới 18 tuổi. Nếu người đó đã 18 tuổi trở lên và đang gặp nguy hiểm, xin gọi 113. Nếu không chắc, chọn "Không rõ".' };
    }
    d.childAge = `${age} tuổi`;
    return {};
  },
};

const sexStep: Step<ReportDraft> = {
  id: 'sex',
  prompt: () => ({
    text: 'Trẻ là bé trai hay bé gái?',
    choices: [
      { label: 'Nam', value: 'nam', aliases: ['trai', 'be trai', 'con trai'] },
      { label: 'Nữ', value: 'nu', aliases: ['gai', 'be gai', 'con gai'] },
      { ...UNKNOWN, value: 'khong_ro' },
    ],
  }),
  answer: (d, input) => {
    if (!input.choice) return { error: 'Xin chọn Nam, Nữ hoặc Không rõ.' };
    d.childSex = input.choice as ReportDraft['childSex'];
    return {};
  },
};

const dangerStep: Step<ReportDraft> = {
  id: 'danger',
  skip: (d) => d.inDanger === 'yes',
  prompt: () => ({
    text: 'Ngay lúc này trẻ có đang gặp nguy hiểm không?',
    choices: [
      { label: 'Có', value: 'yes' },
      { label: 'Không', value: 'no' },
      { ...UNKNOWN, value: 'unknown' },
    ],
  }),
  answer: (d, input) => {
    const yn = input.choice ?? (parseYesNo(input.text) === true ? 'yes' : parseYesNo(input.text) === false ? 'no' : undefined);
    if (!yn) return { error: 'Xin trả lời Có, Không hoặc Không rõ.' };
    d.inDanger = yn as ReportDraft['inDanger'];
    return {};
  },
};

/** An optional free-text step: "Bỏ qua" leaves the field empty. */
function optionalText(id: string, text: string, set: (d: ReportDraft, v: string | undefined) => void, max: number): Step<ReportDraft> {
  return {
    id,
    prompt: () => ({ text, choices: [SKIP] }),
    answer: (d, input) => {
      set(d, input.choice === 'skip' || !input.text ? undefined : input.text.slice(0, max));
      return {};
    },
  };
}

const contactStep: Step<ReportDraft> = {
  id: 'contact',
  prompt: () => ({
    text: 'Bạn có muốn để lại tên và số điện thoại để cán bộ liên hệ lại không? Bạn có thể báo ẩn danh; thông tin của bạn chỉ cán bộ xử lý vụ việc được xem.',
    choices: [
      { label: 'Báo ẩn danh', value: 'anonymous', aliases: ['an danh', 'khong', 'ko', 'k'] },
      { label: 'Để lại liên hệ', value: 'contact', aliases: ['co', 'de lai', 'dong y', 'ok'] },
    ],
  }),
  answer: (d, input) => {
    if (!input.choice) return { error: 'Xin chọn "Báo ẩn danh" hoặc "Để lại liên hệ".' };
    d.wantsContact = input.choice === 'contact';
    if (!d.wantsContact) {
      d.reporterName = undefined;
      d.reporterPhone = undefined;
    }
    return {};
  },
};

const nameStep: Step<ReportDraft> = {
  id: 'reporter-name',
  skip: (d) => !d.wantsContact,
  prompt: () => ({ text: 'Tên của bạn là gì?' }),
  answer: (d, input) => {
    if (input.text.length < 2) return { error: 'Xin gõ tên của bạn.' };
    d.reporterName = input.text.slice(0, 100);
    return {};
  },
};

const phoneStep: Step<ReportDraft> = {
  id: 'reporter-phone',
  skip: (d) => !d.wantsContact,
  prompt: () => ({ text: 'Số điện thoại để cán bộ gọi lại?' }),
  answer: (d, input) => {
    const digits = input.text.replace(/[\s.-]/g, '').replace(/^\+84/, '0');
    if (!/^0\d{9,10}$/.test(digits)) return { error: 'Số điện thoại chưa đúng. Xin gõ lại, ví dụ 0912 345 678.' };
    d.reporterPhone = digits;
    return {};
  },
};

const confirmStep: Step<ReportDraft> = {
  id: 'confirm',
  prompt: (d, ctx) => ({
    text: `${summarize(d, communeOf(d, ctx))}\n\nGửi báo cáo này?`,
    choices: [{ label: '✅ Gửi báo cáo', value: 'send', aliases: ['gui', 'co', 'ok', 'dong y', 'xac nhan', 'dung'] }],
  }),
  answer: (_d, input): StepResult => {
    if (input.choice === 'send') return { done: true };
    return { error: 'Bấm "Gửi báo cáo" (hoặc gõ "gửi") để gửi, "Quay lại" để sửa, hoặc "Huỷ".' };
  },
};

export const reportFlow: Flow<ReportDraft> = {
  name: REPORT_FLOW,
  steps: [
    communeStep,
    categoryStep,
    villageStep,
    descriptionStep,
    whenStep,
    ageStep,
    sexStep,
    dangerStep,
    optionalText('child-name', 'Tên hoặc tên viết tắt của trẻ, nếu bạn biết (không bắt buộc).', (d, v) => (d.childName = v), 100),
    optionalText(
      'extra',
      'Bạn có biết thêm không: ai có thể đã gây hại, cha mẹ hoặc người chăm sóc trẻ, đã có ai giúp trẻ chưa? (không bắt buộc)',
      (d, v) => (d.extra = v),
      2000,
    ),
    contactStep,
    nameStep,
    phoneStep,
    confirmStep,
  ],
  afterAnswer(d, ctx) {
    if (!d.warned && d.communeId && draftUrgency(d) === 'P0') {
      d.warned = true;
      ctx.reply(emergencyNotice(communeOf(d, ctx)));
    }
  },
  async complete(d, ctx) {
    const commune = communeOf(d, ctx);
    const urgency = draftUrgency(d);
    const report = await ctx.services.cases.create(
      {
        communeId: commune.id,
        category: d.category ?? 'other',
        urgency,
        alertRoles: alertRolesFor(commune, urgency),
        village: d.village ?? UNKNOWN_VILLAGE,
        inDanger: d.inDanger ?? 'unknown',
        channel: ctx.msg.channel,
        details: {
          description: d.description ?? '',
          when: d.when,
          child: { name: d.childName, age: d.childAge, sex: d.childSex },
          extra: d.extra,
          reporter: { identity: ctx.identity, name: d.wantsContact ? d.reporterName : undefined, phone: d.wantsContact ? d.reporterPhone : undefined },
          attachments: d.attachments,
        },
      },
      ctx.services.now(),
      d.draftId ? `${ctx.identity}:${d.draftId}` : undefined,
    );
    const next =
      urgency === 'P3'
        ? `Cán bộ sẽ xem và trả lời khi cần. Nếu cần tư vấn ngay, xin gọi ${commune.hotlines.child} (miễn phí).`
        : urgency === 'P0'
          ? 'Cán bộ xã, lãnh đạo xã và công an xã đã được báo ngay.'
          : 'Cán bộ bảo vệ trẻ em của xã sẽ tiếp nhận và xử lý.';
    ctx.reply(
      `✅ Đã nhận báo cáo. Mã của bạn: ${report.code}\n${next}\n` +
        `Để hỏi tình trạng, gửi: /trangthai ${report.code}\nCảm ơn bạn đã lên tiếng vì trẻ em.`,
    );
    await reportConfirmed(ctx.services, report);
  },
};

/** Starts a report; free text that already describes a concern pre-fills the category and description. */
export function initialDraft(ctx: TurnContext, describedText?: string): ReportDraft {
  const draft: ReportDraft = { draftId: randomUUID(), attachments: [...ctx.msg.media] };
  if (ctx.communes.length === 1) draft.communeId = ctx.communes[0]?.id;
  if (describedText) {
    draft.category = categoryFromText(describedText);
    if (describedText.length >= MIN_DESCRIPTION) draft.description = describedText;
    for (const c of ctx.communes) {
      const v = matchVillage(describedText, c);
      if (v && (!draft.communeId || draft.communeId === c.id)) {
        draft.communeId = c.id;
        draft.village = v;
        break;
      }
    }
  }
  return draft;
}
