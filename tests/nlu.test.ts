import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { classify, loadModel, saveModel } from '../src/nlu/classifier.js';
import { FRESH_DIR, loadCorpus } from '../src/nlu/corpus.js';
import { conceptsIn } from '../src/nlu/concepts.js';
import { cueText, firedCues } from '../src/nlu/cues.js';
import { firedMarks } from '../src/nlu/marks.js';
import { CONCERN_LABELS, isConcernLabel, OTHER_LABELS, type ConcernLabel } from '../src/nlu/labels.js';
import { trainBayes } from '../src/nlu/bayes.js';
import { fromStored, predict, toStored } from '../src/nlu/linear.js';
import { analyse, classifyWith } from '../src/nlu/model.js';
import { normalise, tokenise } from '../src/nlu/normalise.js';
import { generalQuestion } from '../src/nlu/questions.js';
import { buildModel } from '../src/nlu/train.js';
import { possibleStory } from '../src/handlers/report/start.js';

/** The severity cues a message fires, read on the folded words. */
const fires = (t: string): string[] => firedCues(normalise(t)).map((c) => c.id);

/** Each line fires `cue` and is P0. */
function expectCueAtP0(cue: string, lines: readonly string[]): void {
  for (const t of lines) {
    expect(fires(t), t).toContain(cue);
    expect(classify(t).urgency, t).toBe('P0');
  }
}

const corpus = loadCorpus();
const heldOut = corpus.filter((l) => l.split === 'test');
// The fresh set (docs/corpus.md) is held out as well: the safety checks below hold on it too.
const fresh = loadCorpus(FRESH_DIR);
const measured = [...heldOut, ...fresh];

describe('the corpus', () => {
  const handWritten = corpus.filter((l) => !l.source);

  it('has at least 800 concern and 200 other hand-written messages, every label in both splits', () => {
    expect(handWritten.filter((l) => isConcernLabel(l.category)).length).toBeGreaterThanOrEqual(800);
    expect(handWritten.filter((l) => !isConcernLabel(l.category)).length).toBeGreaterThanOrEqual(200);
    for (const label of [...CONCERN_LABELS, ...OTHER_LABELS]) {
      const lines = handWritten.filter((l) => l.category === label);
      const share = lines.filter((l) => l.split === 'test').length / lines.length;
      expect(share, label).toBeGreaterThan(0.1);
      expect(share, label).toBeLessThan(0.25);
    }
  });

  it('holds out no message that training also sees, even spelt differently', () => {
    const trained = new Set(corpus.filter((l) => l.split === 'train').map((l) => normalise(l.text)));
    expect(measured.filter((l) => trained.has(normalise(l.text))).map((l) => l.text)).toEqual([]);
    expect(measured.every((l) => !l.source && l.split === 'test')).toBe(true);
    // The fresh set measures phrasings the corpus does not have: none of it repeats a corpus line.
    const inCorpus = new Set(corpus.map((l) => normalise(l.text)));
    expect(fresh.filter((l) => inCorpus.has(normalise(l.text))).map((l) => l.text)).toEqual([]);
  });
});

describe('the shipped model', () => {
  it('loads in milliseconds and is small', async () => {
    const { statSync } = await import('node:fs');
    const { MODEL_FILE } = await import('../src/nlu/classifier.js');
    const t0 = performance.now();
    loadModel();
    // The bench prints the real figure (~10 ms); the bound only catches a model that grew wildly.
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(statSync(MODEL_FILE).size).toBeLessThan(1.5 * 1024 * 1024);
  });

  it('puts no P0 message of the held-out split or the fresh set below P0', () => {
    const missed = measured.filter((l) => l.urgency === 'P0' && classify(l.text).urgency !== 'P0').map((l) => l.text);
    expect(missed).toEqual([]);
  });

  it('starts a report for every held-out or fresh concern, and never rates one below its label', () => {
    const order = ['P0', 'P1', 'P2', 'P3'];
    for (const l of measured.filter((x) => isConcernLabel(x.category))) {
      const c = classify(l.text);
      expect(c.isConcern, l.text).toBe(true);
      expect(order.indexOf(c.urgency), l.text).toBeLessThanOrEqual(order.indexOf(l.urgency));
    }
  });
});

/** Written for this test, in none of the corpus files: the category should be among the choices offered. */
const UNSEEN: [string, ConcernLabel][] = [
  ['ông bác họ hay lén sờ đùi con bé lúc nó ngủ, con bé mới chín tuổi', 'sexual'],
  ['thang cha ke say ruou hay vo phong con gai rieng 12t luc nua dem', 'sexual'],
  ['có đứa nhắn tin qua insta đòi con tôi gửi hình không mặc áo, không gửi thì nó đăng ảnh cũ lên', 'online'],
  ['me no ngay nao cung lay roi quat thang nho, lung no toan vet lan', 'violence'],
  ['cô giáo ở lớp mẫu giáo hay đánh vào tay mấy cháu không chịu ăn', 'violence'],
  ['bọn lớp 9 hay chặn con tôi ở nhà xe, đấm vào bụng rồi lấy tiền', 'bullying'],
  ['co nguoi hua dua may dua con gai trong ban sang ben kia lam cong ty, tra tien truoc cho bo me', 'trafficking'],
  ['thằng cu nhà tôi 6 tuổi đi chơi từ trưa, giờ tối rồi không thấy đâu', 'missing'],
  ['người đi tập thể dục sáng nay thấy một bé mới đẻ nằm trong hộp giấy ở vỉa hè', 'abandonment'],
  ['hai đứa nhỏ nhà đó ngày nào cũng đói, mẹ đi biền biệt, bố thì suốt ngày say', 'neglect'],
  ['thằng bé 11 tuổi bị ông chủ lò than bắt đẩy xe than từ sáng tới tối, trả có mấy chục nghìn', 'labour'],
  ['nhà nó nhận sính lễ rồi, bắt con bé 14 tuổi cưới cuối năm nay', 'marriage'],
  ['con bé học hết lớp 6 thì ở nhà luôn, không đến trường nữa', 'dropout'],
  ['mấy thằng nhóc 14 tuổi trong xóm lấy trộm bình ắc quy ngoài đồng đem bán', 'law'],
  ['con tôi 4 tuổi vừa trượt chân xuống mương nước sau nhà, mọi người đang kéo lên', 'drowning'],
  ['em thấy sống chẳng có ý nghĩa gì nữa, em muốn uống hết lọ thuốc', 'suicide'],
  ['hai chị em mồ côi mẹ, bố bị tai biến nằm một chỗ, không ai đi làm nuôi', 'at_risk'],
];

describe('phrasings no corpus line has', () => {
  it.each(UNSEEN)('%s → %s', (text, category) => {
    const c = classify(text);
    expect(c.isConcern).toBe(true);
    expect(c.categories.map((x) => x.key)).toContain(category);
  });

  it('gets most of them right first', () => {
    const first = UNSEEN.filter(([text, category]) => classify(text).categories[0]?.key === category).length;
    expect(first / UNSEEN.length).toBeGreaterThanOrEqual(0.75);
  });

  it.each([
    'bị bố đánh chảy máu đầu',
    'thằng bé bị chú dượng đánh, máu chảy ướt áo',
    'có người dọa tung ảnh khỏa thân của con bé',
    'be 6t dang bi ong ta nhot trong nha, nghe tieng khoc keu cuu',
    'con bé vẫn phải ở chung nhà với ông bố dượng đã sờ soạng nó',
    'sáng nay có đứa bé sơ sinh bị bỏ ở cổng trạm xá',
    'thằng nhỏ đang chới với dưới ao',
    'em muốn chết cho xong',
    'chú nó cầm rựa đòi chém thằng nhỏ',
  ])('P0: %s', (text) => {
    expect(classify(text).urgency).toBe('P0');
  });

  it.each(['chào chị ạ', 'cảm ơn xã nhiều', 'tháng 9/2025: sinh 2, tử vong 0, đuối nước 0, xâm hại tình dục 0', 'TE-7K3M9Q giờ thế nào rồi ạ'])(
    'not a concern: %s',
    (text) => {
      const c = classify(text);
      expect(c.isConcern).toBe(false);
      expect(c.urgency).toBe('P3');
    },
  );

  it('says which cues raised the urgency, and offers choices when unsure', () => {
    const c = classify('bé bị bố đánh chảy máu đầu, giờ bé vẫn ở với bố');
    expect(c.cues.map((x) => x.id)).toEqual(expect.arrayContaining(['blood', 'with_abuser']));
    expect(c.reasons.some((r) => r.source === 'cue' && r.level === 'P0')).toBe(true);
    expect(c.categories).toHaveLength(3);
    expect(c.categories[0]?.label).toBe('Bạo lực, đánh đập');
    const scores = c.categories.map((x) => x.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
  });
});

describe('spelling does not change the answer', () => {
  const SAME: string[][] = [
    ['Cháu bé bị bố dượng đánh đập', 'Cháu bé bị bố dượng đánh đập'.normalize('NFD'), 'chau be bi bo duong danh dap', 'chaus bes bij boos dduwowngj ddanhs ddaapj', 'cha1u be1 bi5 bo61 du7o7ng5 da1nh da6p5'],
    ['Con gái tôi không được đi học', 'con gai toi ko dc di hoc', 'con gais tooi khoong dduwowcj ddi hocj'],
    ['Có người dọa tung ảnh nhạy cảm', 'CÓ NGƯỜI DỌA TUNG ẢNH NHẠY CẢM', 'co ng doa tung anh nhay cam'],
  ];

  it.each(SAME.map((forms) => [forms[0], forms] as const))('%s', (_first, forms) => {
    const [base, ...others] = forms.map((f) => normalise(f));
    for (const o of others) expect(o).toBe(base);
    const results = forms.map((f) => classify(f));
    for (const r of results) expect(r).toEqual(results[0]);
  });

  it('reads ages in digits glued to "t" as ages, and leaves monthly-count pairs out of the cues', () => {
    expect(normalise('bé 8t')).toBe('be 8 tuoi');
    expect(firedCues(normalise('tháng 10: xâm hại tình dục 1, đuối nước 1, bỏ rơi 0'))).toEqual([]);
    expect(firedCues(normalise('cháu bị xâm hại tình dục')).map((c) => c.id)).toContain('sexual');
  });

  it('takes a small child left at a tub, bucket or basin of water as a child in water (P0), not a child bathing', () => {
    const water = (t: string): boolean => firedCues(normalise(t)).some((c) => c.id === 'in_water');
    for (const t of ['bé 1 tuổi ngồi chơi trong chậu nước, mẹ đi chợ không ai trông', 'con be 18 thang bo vao xo nuoc ma ko ai de y', 'để bé trong bồn tắm một mình'.normalize('NFD'), 'thằng cu 2t nghịch cạnh thau nước một mình']) {
      expect(water(t), t).toBe(true);
      expect(classify(t).urgency, t).toBe('P0');
    }
    for (const t of ['cháu tắm một mình được chưa', 'xô ngã em một mình', 'tháng 10: đuối nước 1, tai nạn 2', 'dạy trẻ đi bơi để phòng đuối nước']) expect(water(t), t).toBe(false);
  });

  it('hears "end it all" and "no wish to exist" as suicide risk, and not "đi tù, hai đứa" folded to "tự hại"', () => {
    const suicide = (t: string): boolean => firedCues(normalise(t)).some((c) => c.id === 'suicide');
    for (const t of ['nó nhắn tối nay sẽ kết thúc tất cả', 'em khong muon ton tai nua', 'cứ nói sống chẳng để làm gì']) expect(suicide(t), t).toBe(true);
    for (const t of ['bố đi tù, hai anh em ở với bà', 'ông ấy ngồi tù từ năm ngoái', 'chồng cũ ra tù, sắp về']) expect(suicide(t), t).toBe(false);
  });
});

describe('folded words that are two Vietnamese words', () => {
  it('does not read "bạn bè", "chơi với", "không dám ở", "trèo lên cây" or a past conviction as a harm', () => {
    expect(fires('con bé bị bạn bè cô lập vì nhà nghèo')).not.toContain('trafficking');
    expect(fires('thằng bé 14 tuổi hay đi chơi với mấy anh lớn trong xóm')).not.toContain('in_water');
    expect(fires('hai mẹ con sợ chủ nợ, không dám ở nhà')).not.toContain('sexual');
    expect(fires('tụi nhỏ hay trèo lên cây hái ổi')).not.toContain('threat_to_life');
    expect(fires('ông hàng xóm có tiền án hiếp dâm vừa về')).not.toContain('sexual');
    expect(fires('xe đưa đón chở quá số người')).not.toContain('sexual');
    expect(fires('theo bố ra đồng phun thuốc cả buổi, về nhà chóng mặt')).not.toContain('sexual');
    expect(fires('thằng bé bị cận nặng mà không có kính')).not.toContain('injury');
    expect(fires('con chó nhà bên đuổi, cháu bị cắn trầy chân')).not.toContain('injury');
    expect(fires('ông này trước bị kết án vì sàm sỡ trẻ em')).not.toContain('sexual');
    expect(fires('con bé tự cắt tóc ngắn, mặc đồ kín mít')).not.toContain('suicide');
    // "có bữa" (one day) is no hammer, "bị mắng, dạo này" no knife, "mang con" no internet, "chưa làm gì" no refusal to treat.
    expect(fires('con nhỏ hay đi chơi khuya, có bữa thấy leo lên xe ông nào lạ')).not.toContain('weapon');
    expect(fires('con bé hay bị mắng, dạo này ít nói')).not.toContain('weapon');
    expect(fires('bố mang con về quê nội, mẹ đến thì không cho gặp mặt')).not.toContain('meeting');
    expect(fires('ông dượng mới về ở chung, chưa làm gì nhưng tụi nhỏ sợ')).not.toContain('untreated');
  });

  it('still hears the harm itself', () => {
    expect(fires('họ bán con bé cho một ông bên kia biên giới')).toContain('trafficking');
    expect(fires('thằng nhỏ chới với dưới ao')).toContain('in_water');
    expect(fires('ông ta có hành vi dâm ô với cháu')).toContain('sexual');
    expect(fires('con bé bị ông ta hiếp dâm, ông ta còn có tiền án hiếp dâm')).toContain('sexual');
    expect(fires('tay nó có nhiều vết cứa, nó tự cứa khi buồn')).toContain('suicide');
    expect(fires('con bé 14 tuổi bị gả, tháng trước đã về nhà chồng')).toContain('sexual');
    expect(fires('thằng bé bị xe cán qua chân')).toContain('injury');
    expect(fires('ông ta sàm sỡ con bé')).toContain('sexual');
    expect(fires('đã tìm thấy thi thể cháu dưới mương')).toContain('in_water');
    expect(fires('nó tự cắt vào tay mình')).toContain('suicide');
    expect(fires('tôi nghi hai đứa nhỏ đó bị buôn bán, tụi nó nói giọng khác')).toContain('trafficking');
    expect(fires('ba má tụi nhỏ đi Sài Gòn mấy tháng nay chẳng liên lạc, tụi nó tự lo ăn')).toContain('infant_abandoned');
    expect(fires('bo me di lam an xa ca nam khong gui tien, 2 dua nho o nha an nho hang xom')).toContain('infant_abandoned');
    expect(fires('bố mẹ đi làm xa 2 năm, vẫn gửi tiền về, cháu ở với bà')).not.toContain('infant_abandoned');
    expect(fires('nó cầm búa dọa đập đầu thằng bé')).toContain('weapon');
    expect(fires('quen nhau trên mạng, giờ hắn đòi gặp riêng con bé')).toContain('meeting');
    expect(fires('bảo tiêm làm gì cho tốn tiền')).toContain('untreated');
    expect(fires('thầy hay bắt ngồi gần rồi xoa đùi con bé')).toContain('sexual');
    expect(fires('con bé 2 tháng nay không ai cho ăn')).not.toContain('infant_abandoned');
    expect(fires('đứa bé mới 2 tháng, mẹ đi đâu cả ngày, không ai cho bú')).toContain('infant_abandoned');
  });
});

describe('a word typed with its marks', () => {
  const fires = (t: string): string[] => firedCues(cueText(tokenise(t))).map((c) => c.id);

  it('reads "bố" as the father, not as "bỏ" (leave)', () => {
    for (const t of ['bố cháu ở chợ', 'Bố con ở trường đón con rồi', 'bố nó để xe ở cổng chợ', 'BỐ CHÁU Ở BẾN XE'.normalize('NFD')]) {
      expect(fires(t), t).not.toContain('infant_abandoned');
      expect(classify(t).cues.map((c) => c.id), t).not.toContain('infant_abandoned');
    }
    expect(fires('bố nó bỏ đi theo bạn')).toContain('missing');
    expect(fires('bố nó đi theo bạn')).not.toContain('missing');
  });

  it('reads "bạn" as a friend and "sưng" as swollen, not as "bán" (sell) and "súng" (gun)', () => {
    for (const t of ['bạn cháu sang nhà rủ đi chơi', 'mấy bạn bè cho nó tiền mua bánh', 'thằng bé bị bạn đâm vào tay bằng bút', 'bạn con cho mượn xe đạp']) {
      expect(fires(t), t).not.toContain('trafficking');
      expect(fires(t), t).not.toContain('sexual');
    }
    for (const t of ['mặt cháu có sưng không', 'tay nó có sưng lên một chút']) expect(fires(t), t).not.toContain('weapon');
    // The sale and the gun typed with their marks are still read.
    expect(fires('nó định bán cháu cho người ta lấy tiền')).toContain('trafficking');
    expect(fires('ông ta có súng trong nhà, dọa bắn')).toContain('weapon');
  });

  it('reads "bế mất" as a child carried off, and folded "be mat" only with a taker, "bị" or the child after it: "bé mất" is no abduction', () => {
    const cues = (t: string): string[] => classify(t).cues.map((c) => c.id);
    for (const t of ['bé mất rồi', 'be mat roi', 'nhà bên có bé mất tuần trước', 'con bé mất liên lạc với gia đình', 'bé lên xe đi học rồi']) expect(cues(t), t).not.toContain('trafficking');
    for (const t of ['con tôi bị bế mất', 'chau be 4 tuoi bi be mat truoc cong benh vien', 'có người lạ bế mất thằng bé nhà bên', 'nguoi la be mat con toi roi', 'bế mất con tôi ở chợ', 'bé nhà tôi bị ai ẵm mất rồi', 'co nguoi be len xe o to chay mat']) {
      expect(cues(t), t).toContain('trafficking');
      expect(classify(t).urgency, t).toBe('P0');
    }
    // "bế" typed with its marks is the carrying on its own ("cueText" reads it so).
    expect(cueText(tokenise('ông ta bế mất rồi'))).toContain('am mat');
  });

  it('stays cautious without marks, and hears "bỏ" however it is typed', () => {
    for (const t of ['ban chau cho nguoi ta roi', 'hắn có sung']) expect(fires(t).length, t).toBeGreaterThan(0);
    for (const t of ['bo chau o cho', 'bỏ cháu ở chợ rồi đi mất', 'bỏ chau o cho', 'ai đó bor chau o cho']) {
      expect(fires(t), t).toContain('infant_abandoned');
      expect(classify(t).urgency, t).toBe('P0');
    }
  });
});

describe('severity families and concern marks of 2026-12-02 (second round)', () => {
  it('hears blood, stitches, burn marks, a dog bite, a child shut in a car, an online meeting and a phone nobody answers as P0', () => {
    const cases: Array<[string, string]> = [
      ['thằng bé bị quất dây điện vào lưng tứa máu', 'blood'],
      ['con be bi cho can vao mat, phai khau may mui', 'blood'],
      ['trên người cháu có vết bầm, trán có vết khâu', 'blood'],
      ['tay con bé có mấy vết bỏng tròn như đầu thuốc lá', 'injury'],
      ['bố mẹ bỏ quên đứa nhỏ 3 tuổi trong xe giữa trưa', 'threat_to_life'],
      ['ông ta đang đánh con bé ngoài sân', 'happening_now'],
      ['một người quen qua zalo hẹn cháu 13 tuổi chủ nhật ra thị trấn gặp', 'meeting'],
      ['thằng con tôi 15 tuổi đi từ hôm kia, điện thoại thuê bao', 'missing'],
      ['nó có clip của con bé, giờ dọa phát tán', 'sexual'],
      ['có lần say nó còn lột đồ con bé', 'sexual'],
      ['mẹ đi bước nữa, bố biệt tăm, thằng bé ở một mình mấy tháng nay', 'infant_abandoned'],
    ];
    for (const [t, id] of cases) {
      expect(fires(t), t).toContain(id);
      expect(classify(t).urgency, t).toBe('P0');
    }
    // …and not the same words in another sense: a game of chess, an officer's appointment, a number that does not answer.
    expect(fires('hai ông đang đánh cờ ngoài đình')).toEqual([]);
    expect(fires('cán bộ hẹn gặp tôi thứ hai')).toEqual([]);
    expect(fires('tôi gọi tổng đài mà gọi không được')).toEqual([]);
    expect(fires('tôi ở một mình mấy tháng nay')).toEqual([]);
  });

  it('does not read folded "rồi" (already) as "roi" (a cane) in the word families', () => {
    expect(conceptsIn(normalise('cảm ơn, cháu đã về nhà rồi'))).not.toContain('hit');
    expect(conceptsIn(normalise('bố lấy roi đánh nó'))).toContain('hit');
  });

  it("takes a stranger's question or secret told about a child as a concern, not the writer's own question", () => {
    const marked = (t: string): boolean => firedMarks(normalise(t)).length > 0;
    for (const t of ['tài khoản lạ nhắn hỏi cháu có ở nhà một mình không', 'ai đó hỏi bé nhà ở đâu, học trường nào', 'ông kia dặn cháu không được nói với bố mẹ']) {
      expect(marked(t), t).toBe(true);
      expect(classify(t).isConcern, t).toBe(true);
    }
    for (const t of ['cho hỏi nhà văn hoá ở đâu', 'xin hỏi số điện thoại công an xã', 'tôi muốn hỏi bé mấy tuổi thì được đi học']) expect(marked(t), t).toBe(false);
  });
});

describe('a child used by adults for crime (P1) and a child left with nobody coming back (P0)', () => {
  it('raises a child made to steal, sell drugs or carry goods for a gang to P1, not to P0', () => {
    for (const t of [
      'thằng bé 12 tuổi bị mấy người lớn sai đi trộm đồ ngoài chợ',
      'con nhỏ bị bọn nghiện bắt đi bán ma túy cho khách ở quán karaoke',
      'bon giang ho thue tui nho 13 14t xach hang cam qua song, tra 100k 1 chuyen',
      'có ông kia hay xúi bọn trẻ con trong xóm đi móc túi ở bến xe rồi chia tiền',
    ]) {
      expect(fires(t), t).toContain('used_for_crime');
      const c = classify(t);
      expect(c.isConcern, t).toBe(true);
      expect(c.cues.find((x) => x.id === 'used_for_crime')?.level, t).toBe('P1');
      expect(c.reasons, t).toContainEqual({ source: 'cue', level: 'P1', detail: 'trẻ bị người lớn lợi dụng để phạm tội' });
    }
    // A child arrested for a theft, a child stealing on their own, pupils made to wash clothes: no adult using them.
    for (const t of ['thằng bé bị bắt vì ăn trộm xe đạp', 'công an bắt cháu vì tội trộm cắp', 'mấy đứa nhỏ tự đi ăn trộm ngoài chợ', 'lớp trên bắt đàn em giặt đồ']) {
      expect(fires(t), t).not.toContain('used_for_crime');
    }
  });

  it('takes a child left somewhere with nobody coming back as P0', () => {
    expectCueAtP0('left_behind', [
      'có người gửi thằng bé ở quán nước rồi đi, tới tối vẫn chưa thấy ai quay lại đón',
      'một bé gái chừng 3 tuổi bị bỏ lại ở bến xe khách từ trưa',
      'ai đó bỏ hai đứa nhỏ ở cổng chợ rồi đi mất',
    ]);
    // Folded "bị bỏ" is also "bị bố": the father at the market is not a child left there.
    expect(fires('cháu bị bố mắng giữa chợ vì làm mất tiền')).not.toContain('left_behind');
  });
});

describe('harm the category alone would rate too low (the audit of 2026-12-03, docs/corpus.md)', () => {
  it('raises a child who works to live, goes hungry or is not treated to P1, a girl under 16 who has given birth and a child nobody raises to P0', () => {
    for (const [t, cue, urgency] of [
      ['mấy đứa con nhà bà Sáu tối nào cũng đi lượm ve chai tới khuya', 'child_work', 'P1'],
      ['thằng nhỏ 8t đứng bán vé số ở cây xăng cả ngày', 'child_work', 'P1'],
      ['con bé nhà bên đi học mà bụng đói, ở nhà chẳng ai nấu cơm cho', 'hungry', 'P1'],
      ['hai đứa nhỏ ở với ông nội, đói thường xuyên', 'hungry', 'P1'],
      ['con bé ho cả tháng mà nhà không cho đi khám, bảo để tự khỏi', 'untreated', 'P1'],
      ['trẻ nhà bên chưa được tiêm mũi nào, bố nó bảo tiêm làm gì', 'untreated', 'P1'],
      ['con bé mới 14 tuổi đã sinh con, nhà trai cũng không nhận', 'sexual', 'P0'],
      ['em gái họ tôi 15 tuổi đã có con với ông hàng xóm', 'sexual', 'P0'],
      ['thằng bé 10 tuổi ăn nhờ hàng xóm mấy tháng nay, bố mẹ đi đâu không ai hay', 'infant_abandoned', 'P0'],
      ['có đứa nhỏ ngủ ngoài chợ mấy đêm, chẳng biết bố mẹ nó ở đâu', 'infant_abandoned', 'P0'],
    ] as const) {
      expect(fires(t), t).toContain(cue);
      const c = classify(t);
      expect(c.isConcern, t).toBe(true);
      // P1 at least: the model may round a P1 story up, never down.
      expect(urgency === 'P0' ? ['P0'] : ['P0', 'P1'], t).toContain(c.urgency);
    }
    // A mother who sells lottery tickets, a status question that retells a story, a boy's child marriage,
    // a woman of 35 with children: none of these.
    expect(fires('mẹ cháu bán vé số nuôi hai con')).not.toContain('child_work');
    expect(fires('chuyện mấy đứa nhỏ bị bỏ đói em báo hôm trước có ai xuống chưa')).not.toContain('hungry');
    expect(fires('thằng cháu 15 tuổi tảo hôn, đã có con')).not.toContain('sexual');
    expect(fires('chị ấy 35 tuổi đã có con')).not.toContain('sexual');
  });

  it('takes a child married off, lured or taken abroad as trafficking (P0), and not parents who work abroad', () => {
    expectCueAtP0('trafficking', [
      'co 1 chau gai khoang 15 tuoi o xom ben bi gia dinh ep lay chong nguoi trung quoc, nghe noi tuan sau dua sang ben do',
      'nhà bên định gả con gái 14 tuổi cho người Đài Loan',
      'con bé lớp 8 bị bố mẹ gả cho 1 ông bên Trung Quốc',
      'thằng bé 13 tuổi được người quen rủ qua nước ngoài làm thuê',
    ]);
    expect(fires('bố mẹ cháu đi nước ngoài làm ăn, để cháu ở với bà')).not.toContain('trafficking');
    expect(fires('chị gái cháu lấy chồng người Hàn đã lâu')).not.toContain('trafficking');
  });

  it('reads a finger cut off or something small and hard swallowed as a serious injury, not a small cut or no appetite', () => {
    for (const t of ['máy tuốt lúa kẹp tay cháu, cụt 2 ngón', 'bé bị cửa sắt kẹp đứt lìa đầu ngón', 'con em 3t nuốt phải viên pin cúc áo', 'thang cu nuot 1 cai dinh vit']) {
      expect(fires(t), t).toContain('injury');
      const c = classify(t);
      expect(c.isConcern, t).toBe(true);
      expect(c.urgency, t).toBe('P0');
    }
    for (const t of ['bé bị đứt tay lúc gọt hoa quả', 'dạo này cháu ăn mất ngon', 'con không chịu nuốt thuốc thì làm sao']) expect(fires(t), t).not.toContain('injury');
  });

  it('reads a baby left in a basket or a box as an abandoned infant, not "giờ có em bé" (now) nor a doll', () => {
    expectCueAtP0('infant_abandoned', ['sáng ra thấy một thùng giấy đựng em bé ở cổng chùa', 'ai để chiếc giỏ có bé gái sơ sinh trước cửa nhà tôi']);
    for (const t of ['nhà tôi giờ có em bé nên bận lắm', 'mua một hộp có bé búp bê']) expect(fires(t), t).not.toContain('infant_abandoned');
  });
});

describe('a child held, and the words the third fresh set showed the cues lacked (2026-12-03, docs/classifier.md 5.)', () => {
  const cues = (t: string): string[] => classify(t).cues.map((c) => c.id);

  it('takes a child chained, caged or tied to something as violence held now (P0), not a swing, a move closer or a past told', () => {
    for (const t of ['thằng bé bị chú nó xích ở chân cầu thang', 'bé gái bị nhốt trong cũi sắt sau bếp', 'ba nó cột thằng nhỏ vô cây cột điện', 'con bé vẫn đang bị trói ngoài sân']) {
      expect(cues(t), t).toContain('restrained');
      expect(classify(t).urgency, t).toBe('P0');
    }
    for (const t of ['bé ngồi xích đu ngoài sân', 'con xích lại gần mẹ đi', 'trời ơi con bé lại ốm', 'hồi tháng trước nó bị bố trói vào cột, giờ đã được về ở với bà']) expect(cues(t), t).not.toContain('restrained');
    // Typed with its marks, "trói" is tied, not "trôi" (swept away).
    expect(cues('tay nó còn bị trói')).not.toContain('in_water');
    expect(cues('hai đứa bị trôi xuống suối')).toContain('in_water');
  });

  it('hears a heated iron pressed on the skin, creeping into the bed, "bị hiếp", a child who thinks others better off, a baby left by someone, a child not arrived home', () => {
    expectCueAtP0('injury', ['bà ta nung đỏ cái thìa rồi dí vào tay cháu', 'chân thằng bé phồng rộp vì bị dì ghẻ đổ nước nóng']);
    expectCueAtP0('sexual', ['thằng anh rể hay lần sang giường con bé lúc mọi người ngủ', 'em gái tôi 12 tuổi bị hiếp ở rẫy']);
    expectCueAtP0('suicide', ['nếu không có em thì bố mẹ sẽ thoải mái hơn', 'con chỉ muốn biến mất thôi']);
    expectCueAtP0('infant_abandoned', ['có người đặt lại một đứa bé ở cổng nhà văn hoá']);
    expectCueAtP0('missing', ['con bé đi chợ với bạn mà chưa về tới nhà']);
  });

  it('makes a hazard where children are a concern at P2, and reads a village head\'s zero as no event', () => {
    for (const t of ['dây điện đứt nằm ngay lối đi học', 'cái giếng đầu ngõ không có nắp']) {
      expect(cues(t), t).toContain('hazard');
      const c = classify(t);
      expect(c.isConcern, t).toBe(true);
      expect(c.urgency, t).not.toBe('P0');
    }
    expect(cues('tài khoản ảo dọa nếu không nạp thẻ thì đăng ảnh')).not.toContain('hazard');
    expect(firedCues(normalise('tháng 11: sinh 1, bỏ học không, không có cháu nào bị tai nạn hay đuối nước'))).toEqual([]);
    expect(firedCues(normalise('không có ai trông nên cháu bị đuối nước'))).not.toEqual([]);
  });
});

describe('the words the fourth fresh set showed the cues lacked, and what they misread (2026-12-04, docs/classifier.md 5.)', () => {
  const cues = (t: string): string[] => classify(t).cues.map((c) => c.id);

  it('hears a grown-up showing himself to children, something heavy swung at a child, a bandaged or plastered wound, an age in digits before the post', () => {
    expectCueAtP0('sexual', ['lão hàng xóm hay vạch quần trước mặt tụi nhỏ', 'ông ta đứng ngoài rẫy khoe của quý cho mấy đứa con gái', 'hắn phơi chim ra cho con bé coi']);
    expectCueAtP0('weapon', ['ông chồng say về vác đòn gánh choảng vô lưng thằng bé', 'mẹ kế lấy cái ghế đẩu phang con nhỏ']);
    expectCueAtP0('injury', ['đầu thằng bé quấn băng, nó kể bị dượng đánh', 'tay con bé phải bó bột mà nó không dám kể ai làm']);
    expectCueAtP0('restrained', ['bà nội trói con bé 6 tuổi vô chân giường từ tối qua']);
  });

  it('hears parents gone ("đi biệt", "cả hai cùng đi mất"), a child sleeping rough, "hổng thấy dìa", "bị xâm hại" said of a child', () => {
    expectCueAtP0('infant_abandoned', ['mẹ nó đi biệt, bố thì say suốt, thằng bé sống nhờ hàng xóm', 'con nhỏ 7 tuổi tối ngủ gầm cầu, không biết cha mẹ ở đâu']);
    expectCueAtP0('missing', ['thằng bé đi câu cá từ chiều tới giờ hổng thấy dìa']);
    expectCueAtP0('sexual', ['con gái tôi bị xâm hại ở trường']);
    for (const t of ['làm sao dạy con để khỏi bị xâm hại', 'trẻ có nguy cơ bị xâm hại cao']) expect(cues(t), t).not.toContain('sexual');
  });

  it('does not read fear of people as touching, a child with a grandparent as a child nobody raises, or a room and its days as a village head\'s figure', () => {
    for (const t of ['tui có cần ghi tên thiệt không, sợ người ta biết', 'con bé sợ người lạ lắm']) expect(cues(t), t).not.toContain('sexual');
    for (const t of ['thằng bé 9 tuổi ở với bà nội, bố mẹ bỏ nhau không ai nuôi', 'bố mẹ ly dị không ai chịu nuôi, giờ con bé sống với ông bà ngoại']) expect(cues(t), t).not.toContain('infant_abandoned');
    expectCueAtP0('infant_abandoned', ['con bé mồ côi không ai nuôi', 'thằng bé không còn ai nhận nuôi, tối ngủ ở bến xe']);
    expect(firedCues(normalise('con bé bị nhốt trong nhà vệ sinh 2 ngày'))).toContainEqual(expect.objectContaining({ id: 'restrained' }));
    expect(firedCues(normalise('sinh 2, tử vong 0, xâm hại 1, học sinh bỏ học 1'))).toEqual([]);
  });
});

describe('the words the fifth fresh set showed the cues and the shorthand lacked (2026-12-07, docs/classifier.md 5.)', () => {
  const cues = (t: string): string[] => classify(t).cues.map((c) => c.id);

  it('hears a child asked for images in underwear, more images demanded under a threat to post them, a farewell and "làm gì dại"', () => {
    expectCueAtP0('sexual', ['có người trên mạng xin ảnh con bé mặc đồ lót', 'ông đó bắt em chụp hình chỉ mặc quần lót gửi qua', 'nó đòi gửi thêm ảnh ko thì đăng lên nhóm lớp']);
    expectCueAtP0('suicide', ['thằng bé nhắn tin vĩnh biệt rồi tắt máy', 'con bé để lại thư từ biệt cho mẹ', 'em sợ bạn em làm chuyện dại dột', 'nó cứ nói vậy hoài, e sợ nó suy nghĩ quẩn']);
    for (const t of ['anh mua quần lót cho em rồi', 'nó tự biết mà', 'cứ làm đại đi', 'con bé đòi mặc váy dài']) {
      expect(cues(t), t).not.toContain('sexual');
      expect(cues(t), t).not.toContain('suicide');
    }
  });

  it('spells out teen and phone shorthand ("h", "hqua", "lm", "khum", "qhtd", "mn")', () => {
    expect(normalise('hqua h e ko bik lm j, khum ai giúp')).toBe('hom qua gio em khong biet lam gi khong ai giup');
    expect(normalise('mn ơi ngta bắt e qhtd')).toBe('moi nguoi oi nguoi ta bat em quan he tinh duc');
    expect(fires('ny e bắt e qhtd, e mới 14')).toContain('sexual');
  });
});

describe('the words the sixth fresh set showed the cues lacked (2026-12-08, docs/classifier.md 5.)', () => {
  it('hears a hot thing named before it is pressed on, and a baby of one or two locked in the house', () => {
    expectCueAtP0('injury', ['mẹ kế lấy que củi nóng dí vào tay nó', 'bố nó cầm cái thìa nóng áp lên chân con bé', 'thanh sắt nóng đỏ gí vào lưng thằng bé']);
    expectCueAtP0('infant_abandoned', ['bé mới hơn 1 tuổi, sáng nào bố mẹ cũng khóa cửa đi làm đến tối', 'bé 8 tháng tuổi bị khóa trong nhà cả ngày', 'họ khóa cửa nhốt thằng bé 2 tuổi ở nhà']);
    for (const t of ['cái ấm nóng đặt lên bàn', 'mẹ khóa cửa đi chợ rồi', 'con 10 tuổi ở nhà học bài']) expect(fires(t), t).toEqual([]);
  });
});

describe('answers typed alone in the middle of a conversation', () => {
  it('reads an answer to one of the report questions as no concern and no story', () => {
    for (const t of ['ẩn danh nhé', 'ko rõ lắm ạ', 'bé gái', 'con trai ạ', '9 tuổi', 'khoảng mười tuổi', 'thôn Nà Ca ạ', 'chiều qua', '0987 654 321', 'dạ có', 'ko biet nua', 'tên Hùng', 'chắc 11t']) {
      const c = classify(t);
      expect(c.isConcern, t).toBe(false);
      expect(possibleStory(t, c), t).toBe(false);
      expect(c.urgency, t).toBe('P3');
    }
  });
});

describe('questions that name a child and a harm but tell of none', () => {
  it('reads a question about children in general or about what to do if as a question, not a concern', () => {
    for (const t of ['nếu cháu nhà mình bị bạn bè bắt nạt thì nên báo cho ai ạ', 'trẻ em bị bạo hành thì gọi số nào được', 'cho em hỏi nếu trẻ bị ngã xuống ao thì sơ cứu thế nào', 'làm sao để nhận biết con bị xâm hại']) {
      expect(generalQuestion(normalise(t)), t).toBe(true);
      const c = classify(t);
      expect(c.question, t).toBe(true);
      expect(c.isConcern, t).toBe(false);
      expect(possibleStory(t, c), t).toBe(false);
    }
  });

  it('still takes a real report phrased as a question for a concern, at P0 when a cue says so', () => {
    for (const t of ['con tôi bị bố nó đánh chảy máu đầu, tôi phải báo ở đâu?', 'cháu gái tôi 9 tuổi bị ông hàng xóm sờ vùng kín, gọi số nào ạ', 'nếu ông ta còn sờ soạng con bé nữa thì tôi báo ai']) {
      expect(generalQuestion(normalise(t)), t).toBe(false);
      const c = classify(t);
      expect(c.isConcern, t).toBe(true);
      expect(c.urgency, t).toBe('P0');
    }
    // "Trẻ" opening a message about a particular child, or "thị trấn" folded to "thì", is no general question.
    expect(generalQuestion(normalise('trẻ con nhà bên bị bỏ đói cả tuần, báo ở đâu'))).toBe(false);
    expect(generalQuestion(normalise('trẻ 13 tuổi bị ép bán dâm ở quán karaoke trên thị trấn'))).toBe(false);
  });
});

describe('news that the child is back, found or safe', () => {
  it('does not let a cue that such news ends make the message a concern by itself', () => {
    for (const t of ['dạ cảm ơn cán bộ, đứa cháu đi lạc hôm qua đã về nhà rồi', 'cam on moi nguoi, be bi lac o cong vien tim thay roi, be khong sao ca', 'báo lại giúp em: thằng nhỏ bỏ nhà đi đã quay về rồi, em xin huỷ']) {
      const c = classify(t);
      expect(c.cues.length, t).toBeGreaterThan(0);
      // The model alone decides: a concern only at the usual bar.
      expect(c.isConcern, t).toBe(c.concern >= 0.5);
    }
    const thanks = 'dạ cảm ơn cán bộ, đứa cháu đi lạc hôm qua đã về nhà rồi';
    expect(classify(thanks).isConcern).toBe(false);
    expect(possibleStory(thanks, classify(thanks))).toBe(false);
  });

  it('stays a P0 concern when something is still wrong or another cue fired', () => {
    for (const t of ['cảm ơn, cháu đi lạc đã về nhưng người đầy vết bầm', 'cháu đi lạc từ trưa, đến giờ vẫn chưa về', 'cảm ơn, bé đã về rồi, bé kể bị ông ta sờ vùng kín', 'đã tìm thấy thi thể cháu dưới mương']) {
      const c = classify(t);
      expect(c.isConcern, t).toBe(true);
      expect(c.urgency, t).toBe('P0');
    }
  });
});

describe('training', () => {
  it('builds a naive Bayes category model that reads concerns on its own and keeps its choices through int8 storage', () => {
    const concernLines = corpus.filter((l) => isConcernLabel(l.category));
    const x = (t: string) => analyse(t, 1 << 14).vector;
    const nb = trainBayes(concernLines.filter((l) => l.split === 'train').map((l) => ({ x: x(l.text), label: l.category })), CONCERN_LABELS, 1 << 14, { alpha: 0.03, temperature: 30 });
    const stored = fromStored(toStored(nb));
    const top = (m: typeof nb, t: string) => { const p = predict(m, x(t)); return m.classes[p.indexOf(Math.max(...p))]; };
    const test = concernLines.filter((l) => l.split === 'test');
    const right = test.filter((l) => top(nb, l.text) === l.category).length;
    const same = test.filter((l) => top(stored, l.text) === top(nb, l.text)).length;
    expect(right / test.length).toBeGreaterThan(0.7);
    expect(same / test.length).toBeGreaterThan(0.97);
  });

  it('keeps the weights naive Bayes reads the vectors with through the model file', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const some = corpus.filter((_, i) => i % 5 === 0);
    const opts = { dimensions: 1 << 12, epochs: 2, rate: 1, seed: 3, thresholds: { concern: 0.5, question: 0.9, roundUp: 0.35, roundUpP0: 0.4, categoryFloor: 0.3, sure: 0.55, bayes: 0.35 }, bayes: { alpha: 0.03, temperature: 30, idf: 0.5 } };
    const built = buildModel(some, opts);
    const dir = mkdtempSync(join(tmpdir(), 'treem-nlu-'));
    try {
      saveModel(built, join(dir, 'm.json'));
      const loaded = loadModel(join(dir, 'm.json'));
      expect(loaded.idf).toEqual(built.idf);
      // The rarer feature weighs more: the weights are not all one.
      expect(new Set(built.idf).size).toBeGreaterThan(10);
      const text = 'con bé bị ông hàng xóm sờ soạng';
      expect(classifyWith(loaded, text).categories.map((c) => c.key)).toEqual(classifyWith(built, text).categories.map((c) => c.key));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is deterministic', () => {
    const some = corpus.filter((_, i) => i % 10 === 0);
    const opts = { dimensions: 1 << 10, epochs: 2, rate: 1, seed: 3, thresholds: { concern: 0.5, question: 0.9, roundUp: 0.35, roundUpP0: 0.4, categoryFloor: 0.3, sure: 0.55, bayes: 0.35 }, bayes: { alpha: 0.03, temperature: 30 } };
    expect(toStored(buildModel(some, opts).category)).toEqual(toStored(buildModel(some, opts).category));
  });
});
