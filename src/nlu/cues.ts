/**
 * Severity cues: patterns over the normalised text that raise a message to their level (an emergency, P0,
 * for most) whatever the classifier says (docs/classifier.md). They are written as families of words, not as corpus sentences:
 * each alternative stands for the ways people name the same thing. Folding merges words (bỏ/bố, bán/bạn),
 * so single ambiguous words only count inside a phrase.
 */
import type { Urgency } from '../config/communes.js';
import { DEFAULT_COUNT_FIELDS } from '../domain/counts/fields.js';
import type { ConcernLabel } from './labels.js';
import type { Token } from './normalise.js';
import { words } from './pattern.js';

export interface Cue {
  id: string;
  /**
   * Why the message was raised, in a few words an officer reads after "Khẩn cấp vì:" (alerts, the case
   * view, the console): no comma-joined list, since several reasons are joined with commas.
   */
  reason: string;
  pattern: RegExp;
  /** The urgency the cue raises a message to: P0 unless said (domain rules, docs/corpus.md). */
  level?: Urgency;
  /** The concern the cue names, when it names one: blood or a stay in hospital may come of any harm, or of an accident. */
  kind?: ConcernLabel;
  /**
   * The cue names a state that ends when the child is back, found or safe (lost, left, in the water):
   * in a message saying so (`settled`) it does not by itself make the message a concern.
   */
  settles?: true;
}

const CHILD = '(?:be|chau|con|em|dua (?:be|tre|nho)|tre|thang (?:be|nho|cu)|con (?:be|nho)|no)';
const ABUSER = '(?:bo|me|cha|bo duong|cha duong|duong|me ke|di ghe|han|ong ta|ong ay|ba ta|nguoi do|chu|cau|bac|anh ta)';
const WATER = '(?:ao|ho|song|suoi|gieng|kenh|muong|be nuoc|be boi|xo nuoc|vung nuoc|ho nuoc|cong(?! nhan)|dap|lu)';
// Water in the house: a toddler drowns in a few centimetres of it. Folded "chau" is also "cháu" and
// "xo" also "push", so the container counts only with its water or inside a phrase.
const TUB = '(?:(?:chau|thau|xo|thung|lu|vai|bon) (?:nuoc|day nuoc)|(?:trong|vao|canh|ben|gan|xuong) (?:chau|thau|bon) tam|bon tam)';
const ALONE = '(?:mot minh|khong (?:co |)ai (?:trong|coi|de y|ben canh|o nha|o ben|nhin)|khong ai|ko ai|k ai)';
// "Không ai nuôi": a child with nobody, unless the message names a carer the child lives with ("ở với bà
// nội, bố mẹ bỏ nhau không ai nhận nuôi" is a child in special circumstances, at_risk, not abandoned).
const CARER = '(?:o|song|sinh song|an o) (?:voi|cung|nha|chung voi) (?:ong|ba|co|di|chu|bac|cau|mo|thim|anh|chi|ho hang|nguoi than|ong ba|bo|me|cha|ma|ba ma)';
const NOBODY_RAISES = `(?<!${CARER}(?: [a-z0-9]+)* )(?:khong|chang) (?:co |con |)ai (?!(?:[a-z0-9]+ )*${CARER}(?= |$))`;
const NOT_PRISON = '(?<!(?:^| )(?:di|ngoi|o|vao|ra|bi|an|lanh|nha|tu|nga) )';
// Before a crime named: what an offender was convicted of, not an act against this child.
const PAST_CRIME = '(?<!(?:^| )(?:tien an|toi|(?:tu|an|ket an|bi bat|bi phat|xu) vi|an) )';
// The internet named (folded): where a stranger who later asks to meet usually starts.
// Folded "mạng" alone is also "mang" (carry: "bố mang con về quê"), so only in its phrases.
const ONLINE = '(?:(?:tren|qua|len|ban|mang) mang|mang xa hoi|facebook|facebok|fb|zalo|game|tiktok|messenger|mess|nhan tin|ket (?:ban|huu)|online|instagram|tai khoan|nick)';
const NUMBER = '(?:\\d+|mot|hai|ba|bon|nam|sau|bay|tam|chin|muoi|may|vai)';
// Words between a verb and what it leads to, but not a cause ("bị bắt vì trộm" is an arrest, not an order).
const GAP = '(?: (?!(?:vi|khi|luc|toi|tai|do|sau)(?= ))[a-z0-9]+)';
// Getting a child to do something: ordered (Southern "kêu", "xai"), made, hired, talked into, used ("nhỏ",
// folded "nhờ", is not one).
const MADE_TO = '(?:sai|xai|keu|sai bao|bat(?! (?:qua tang|duoc|giu|giam))|ep|thue|xui|xui giuc|loi keo|du|du do|loi dung|dung|cho tien|tra tien)';
// What an adult gets children to do for them: steal, sell or carry drugs or banned goods, keep watch.
const CRIME =
  '(?:trom|(?:an|lay|cat|be|hut|bat|do) trom|an cap|trom cap|moc (?:tui|bop)|giat (?:tui|day chuyen|dien thoai|bop)|cuop' +
  '|(?:ban|giao|cho|mua|van chuyen|cat|giau|cat giau|mang|dua|xach|cong|chuyen|tang tru)(?: [a-z]+){0,2} (?:ma tuy|hang cam|hang lau|thuoc lac|heroin|goi nho|goi hang|hang cho (?:bang|bon|nhom|dan anh|giang ho))' +
  '|canh (?:cua|duong|chung)|danh thue|doi no|thu tien bao ke)';
const AT = '(?:o|tai|giua|ngoai|truoc|trong)';
// A public place where a child is left: the market, the bus station, the hospital, a roadside.
const PUBLIC_PLACE =
  '(?:cho|ben xe|nha ga|ga tau|ga|san bay|benh vien|tram (?:xe|y te|xang)|cay xang|nha thuoc|(?:cong|cua) (?:truong|chua|benh vien|cho|nha tho|tram(?: y te| xa|)|uy ban|ubnd|nha)|nha tho|chua|sieu thi|cong vien|quan|tiem|le duong|via he|goc duong|ngoai duong|ben do|bai bien|xe khach|tren xe)';

// Carried off, and who carries a child off ("bị người lạ bế mất", "có người bế lên xe").
const CARRIED = '(?:mat(?! tich)|len xe)';
const TAKER = '(?:nguoi la|ke la|ke gian|ai do|nguoi nao do|co nguoi|(?:mot|hai|2|may) (?:nguoi|ba|ong|phu nu|dan ong|thanh nien|chi|anh|ke)(?: la|)|bon (?:no|chung|nguoi la)|han)';

// A child sold ("bán đứa con út cho…"; not a threat, "dọa bán cháu đi"): folded "bán cháu" is also "bạn
// cháu" (the child's friend), so without marks it stays both ("bán bé" is its own phrase).
const SOLD = '(?:chau|no|em be|con be|con nho|dua (?:be|nho|tre|con)|thang (?:be|nho|cu)|con (?:gai|trai) (?:minh|no|toi))';

export const CUES: readonly Cue[] = [
  {
    id: 'blood',
    reason: 'trẻ bị chảy máu',
    pattern: words(
      'chay (?:chut |nhieu |rat nhieu |)mau', 'mau chay', 'day mau', 'dinh mau', 'be dau(?! long| tien)', 'vo dau', 'toac dau',
      'rach (?:mat|dau|tay|chan|mieng|moi|da|tai|bap chan|bap tay|lung|bung|tran|mong)', `khau (?:${NUMBER}|nhieu) mui`, 'khau vet thuong', 'vet khau',
      '(?:toe|tua|ua|ri|rom|loang|be bet|nhoe) mau', 'mau (?:me be bet|loang|tua ra|ri ra)',
    ),
  },
  {
    id: 'injury',
    reason: 'trẻ bị thương nặng',
    pattern: words(
      'gay (?:tay|chan|xuong|rang|mui|co|suon|xuong don|ca)', '(?:bi|gay) bong', 'bong (?:nang|phong|nuoc soi|khap|ca nguoi|lua|dau)', 'bong (?:het|ca) (?:mat|tay|chan|nguoi|lung|mieng|dui)', 'chay (?:het |)toc', '(?:do|hat|tat|doi) nuoc soi', 'nuoc soi (?:vao|len|do)', '(?:di|gi|dat) (?:ban la|dau thuoc la|dau thuoc|thuoc la) (?:vao|len)', '(?:vet|seo) bong',
      // A burn done with a cigarette, a lighter or hot iron, whichever comes first ("dùng điếu thuốc đốt vào tay").
      '(?:dieu thuoc|tan thuoc|bat lua|sat nung|que nung)(?: [a-z]+){0,2} (?:dot|di|gi|dat|chich|dui) (?:vao|len)',
      '(?:dot|di|gi|dui|chich) (?:[a-z]+ ){0,3}(?:bang |)(?:dieu thuoc|tan thuoc|bat lua|sat nung|que nung)',
      // Something heated pressed on the skin ("lấy que cời dán nóng vào chân", "nung đỏ rồi dí vào"), and what a burn leaves.
      '(?:dan|di|gi|ap|chich|dat|dui|chuom) (?:[a-z]+ ){0,2}nong (?:do |ran |)(?:vao|len)', 'nung (?:do |nong |)(?:[a-z]+ ){0,3}(?:roi |)(?:dan|di|gi|ap|chich|dui) (?:[a-z]+ ){0,2}(?:vao|len)',
      // The hot thing named first, then pressed on ("lấy que củi nóng dí vào tay nó", "cái muỗng nóng áp lên").
      '(?:que|cui|thanh|cuc|cai|muong|thia|dao|kep|ban la|sat|than|ong) (?:[a-z]+ ){0,2}nong (?:do |ran |hoi |)(?:di|gi|dan|ap|chich|dui|chuom) (?:[a-z]+ ){0,1}(?:vao|len|vo)',
      'phong rop', 'rop (?:da|het|ca|thit)', 'bong rop',
      'dap nat', 'bang bo', 'quan bang', 'bo bot', 'thuong nang', 'trong thuong', 'nguy kich', 'chan thuong (?:so nao|dau|nang)', 'co giat', 'khong di noi',
      'tim tai', 'non oi', 'kho tho', 'dien giat', '(?:di|chich|gi|dan) dien (?:vao|vo|len)', 'giat dien(?! thoai)', 'ngo doc', '(?:uong|an) nham', 'nuot phai', '(?:uong|an) phai (?:thuoc|hoa chat|xang|dau hoa|nuoc tay|pin)',
      // Folded "bị cán" (run over) is also "bị cắn" (bitten) and "bị cận" (short-sighted): only with what follows.
      'xe (?:tai |)(?:tong|can|dam)', 'bi (?:xe |)tong', 'bi xe can', 'bi can (?:qua|chet|trung|nat|dut|len)', 'sap (?:tuong|nha|tran)', 'nga tu (?:tang|tren|cay|mai)',
      // Folded "nó vào" (him into) is "nổ vào" (exploded into) only with what explodes.
      '(?:phao|bom|min|binh ga|pin|dau dan)(?: [a-z0-9]+){0,4} no(?: vao| tung| trung|$)',
      'cho can (?:rach|nat)', 'cho (?:[a-z0-9]+ ){0,4}can (?:[a-z0-9]+ ){0,3}(?:rach|nat|vao mat|vao dau|vao co)',
      // A finger or a hand cut off ("đứt 2 đầu ngón tay", "cụt ngón"), not a small cut ("bị đứt tay"), nor
      // "ăn mất ngon" (no appetite); something small and hard swallowed ("nuốt 2 viên nam châm").
      `(?:dut|cut|mat ${NUMBER}) (?:${NUMBER} |)(?:dau |dot |)ngon`, 'dut lia', 'cut (?:tay|chan)',
      `nuot (?:phai |mat |)(?:${NUMBER} |)(?:vien |cuc |dong |chiec |cai |qua |)(?:pin|nam cham|dong xu|dinh|kim|oc vit|bi ve|bi sat)`,
    ),
  },
  {
    id: 'unconscious',
    reason: 'trẻ bất tỉnh hoặc khó thở',
    pattern: words(
      'bat tinh', 'ngat(?: xiu| di|)', 'xiu (?:nhe|di)', 'hon me', 'lim di', 'li bi', 'khong tho', 'ngung tho', 'tim ngung', 'tho yeu',
      'met la', 'nam la', 'kiet suc', 'bat dong', 'lo mo', 'mat y thuc', 'khong (?:con |)tinh tao',
    ),
  },
  {
    id: 'hospital',
    reason: 'trẻ phải đi cấp cứu',
    pattern: words(
      'nhap vien', 'cap cuu', 'nam vien', 'phai (?:di |)vien', 'dieu tri (?:tai|o) (?:benh |)vien',
      'dua (?:di |vao |len |toi |den |)(?:vien|benh vien|tram xa|tram y te)(?! de kham)', 'dang dieu tri', 'dang nam (?:vien|o vien)',
    ),
  },
  {
    id: 'weapon',
    kind: 'violence',
    reason: 'có hung khí',
    pattern: words(
      // Folded "có bữa" (one day) is "có búa" (has a hammer), and "dạo này" (lately) "dao" (a knife): "bị mắng, dạo
      // này…" read as "mang dao" once the comma is gone.
      '(?<!(?:^| )(?:an|uong) )(?!co bua(?: |$))(?:cam|vung|rut|mang|lay|dung|bang|co|mang theo|vac|xach|quo) (?:dao(?! (?:nay|gan day|truoc|do|ay|no)(?= |$))|rua|ma tau|kiem|sung|bua|gay sat|tuyp sat|thanh sat|axit|xang|dao kiem)',
      'ma tau', 'dao (?:phay|gam|nhon|kiem|lam|bam|goc)', 'tuyp sat', 'axit', 'hon chien', 'chem (?:nhau|nguoi|chet|vao)',
      'dam (?:chet|bang|vao)',
      // Something heavy swung at the child ("lấy cái ghế phang", "vác đòn gánh choảng vô đầu"): folded "gậy" is
      // also "gãy" and "cây" a tree, so only these.
      `(?:lay|cam|vac|xach|quo|dung|vo) (?:cai |chiec |khuc |thanh |cay |cuc |hon |)(?:ghe|don ganh|chay|khuc cui|cui|thanh go|gay go|gach|cuoc|xeng|ong tuyp|ong nuoc|dui cui)(?: [a-z0-9]+){0,3} (?:phang|choang|nen|dap|quat|nem|ne|chi)(?= |$)`,
      '(?:phang|choang|nen) (?:[a-z]+ ){0,2}(?:vao|vo|len|trung) (?:dau|dau no|mat|lung|nguoi)',
    ),
  },
  {
    id: 'threat_to_life',
    kind: 'violence',
    reason: 'tính mạng trẻ bị đe doạ',
    pattern: words(
      'doa (?:giet|chem|dam|dot|thieu|danh chet|ban|chet)', 'giet(?: chet| nguoi|)', 'danh chet', 'chet mat', 'suyt chet',
      '(?:bop|siet|that) co', `dim (?:dau |)(?:${CHILD} |)(?:xuong |vao |vo |)(?:nuoc|lu|chau|${WATER})`, 'treo nguoc', '(?:bi|bat|dem) (?:[a-z]+ ){0,2}treo len cay', 'dot (?:nha|chay)',
      'tam xang', 'do (?:dau|xang) (?:len|vao)', 'thieu song', 'chon song', 'nem (?:xuong|tu|vao tuong)', 'dap dau', 'lac manh',
      'giu (?:lai |)khong cho (?:ve|ra)',
      // A small child shut in a car or a room in the heat: minutes count.
      '(?:nhot|bo quen|de quen|khoa) (?:[a-z0-9]+ ){0,4}(?:trong|tren) (?:xe|o to|cop xe)',
    ),
  },
  {
    id: 'sexual',
    kind: 'sexual',
    reason: 'có hành vi tình dục với trẻ',
    pattern: words(
      // Folded "không dám ở" is "dâm ô", "quá số người" is "sờ người"; the crime an offender was jailed for
      // ("tiền án hiếp dâm") is a risk to the child, not an act told (at_risk).
      `${PAST_CRIME}hiep dam`, 'cuong dam', 'cuong hiep', 'giao cau', `(?<!(?:^| )(?:khong|chang|cha|chua|ai) )${PAST_CRIME}dam o`, `${PAST_CRIME}sam so`, 'xam xo', 'so mo', 'so soang', 'mo mam',
      'so (?:vao |)(?:vung kin|cho kin|nguc|chim|bo phan|khap nguoi|dui|mong)', '(?:xoa|vuot|nan|bop|mo) (?:vao |)(?:dui|nguc|mong|vung kin|cho kin)', 'so vao nguoi', '(?<!(?:^| )(?:qua|du|tong|bao nhieu|dem) )so nguoi(?! (?:ta|la|lon|khac|nha|than|quen)(?= |$))', 'vung kin', 'cho kin', 'bo phan sinh duc', 'sinh duc',
      'quan he(?! voi (?:ban|huu)| (?:ban|huu) be| xa hoi)', 'lam (?:chuyen (?:do|bay|nguoi lon|bay ba)|bay|nhuc)', 'gio tro', 'doi bai',
      'hon (?:moi|vao moi|cho kin|vao mieng)',
      // Held and kissed by an adult who is no kin ("tài xế xe đưa đón ôm hôn con gái tôi").
      '(?:tai xe|bao ve|nguoi la|ong ta|ong ay|han|thang cha|lao|gia|ke la) (?:[a-z0-9]+ ){0,4}om hon', 'coi (?:quan|do|ao|het|truong)', 'khoa than', 'tran truong', 'nude', 'sex', 'khieu dam',
      'anh (?:nong|nude|sex|khoa than|nhay cam|khong mac|nguc|than the|ho hang)',
      // Folded "ảnh cơ thể" is also "anh có thể" (you can): only after a verb of asking or sending.
      '(?:gui|chup|xin|doi|bat gui|bat chup|quay) (?:[a-z]+ ){0,2}(?:anh|hinh|clip) (?:co the|than the|ho hang|khoe than)',
      // A child's body in underwear asked for or sent ("xin ảnh em mặc đồ lót"), and more images demanded
      // under a threat to post them ("đòi gửi thêm ảnh không thì đăng lên").
      '(?:xin|doi|gui|chup|quay|bat (?:[a-z]+ ){0,2}(?:gui|chup|quay)) (?:[a-z0-9]+ ){0,2}(?:anh|hinh|clip|video)(?: [a-z0-9]+){0,3} (?:mac |chi mac |)(?:do lot|quan lot|ao lot|ao nguc|quan chip)',
      '(?:gui|chup|quay) (?:them|nua|tiep) (?:anh|hinh|clip|video)(?: [a-z0-9]+){0,4} (?:khong|neu khong) thi (?:se |)(?:dang|tung|phat tan|gui)',
      // Images held over the child ("có clip…, giờ nó dọa phát tán"): the law counts it as sexual abuse.
      '(?:clip|anh|video|hinh)(?: [a-z0-9]+){0,8} doa (?:phat tan|tung|dang|gui|pat tan)', 'doa (?:phat tan|tung|dang|gui) (?:anh|clip|video|hinh)', '(?:clip|video) (?:nong|sex|nhay cam|quan he|tam|tu suong)',
      'phim (?:sex|nguoi lon|den)', 'web den', 'doi truy', 'xam hai tinh duc', 'mai dam', 'ban dam', '(?:vao|cho|chu|trong|tu|den|sang|lam o|o trong) nha chua', 'nha chua (?:o|tai|ben|cua)', 'au dam', 'tu suong',
      'chup (?:anh |)(?:vung kin|trong nha tam|luc tam)', 'quay len', '(?:co|mang) (?:bau|thai)', 'khong mac (?:gi|do|quan|ao)',
      // A girl under 16 who has given birth ("con bé 15 đã sinh con"): a sexual act told, as a pregnancy is.
      '(?:1[0-5]|muoi (?:mot|hai|ba|bon|lam|nam)) (?:tuoi |)(?:[a-z0-9]+ ){0,3}(?:sinh con|de con)',
      '(?:con be|co be|con gai|be gai|chau gai|em gai|co dau)(?: [a-z0-9]+){0,2} (?:1[0-5]|muoi (?:mot|hai|ba|bon|lam|nam)) (?:tuoi |)(?:[a-z0-9]+ ){0,3}co con',
      'de len nguoi', 'vao (?:mung|buong|phong) (?:con|chau|em|be)',
      // A grown-up who comes into the child's bed or room at night ("tối nào ông ta cũng chui vào mùng").
      '(?:toi|dem|khuya|nua dem|ban dem)(?: [a-z0-9]+){0,6} (?:vao|vo|chui vao|chui vo|mo cua vao) (?:mung|buong)', 'ngu (?:chung|cung) voi (?:ong|khach|han)',
      // Creeping into the child's bed ("đêm nào cũng mò sang giường nó", "lần vào chỗ con bé nằm").
      '(?:mo|lan|chui|ro) (?:sang|vao|vo|len|toi|qua) (?:giuong|mung|phong|buong|cho nam|cho ngu) (?:cua |)(?:no|chau|con|em|be|con be|thang be|con gai|co be)',
      '(?:toi|dem|khuya|nua dem|ban dem)(?: [a-z0-9]+){0,6} (?:mo|lan|chui|leo) (?:sang|vao|vo|len|qua) giuong',
      '(?:mo|lan|chui|ro) (?:sang|vao|vo|len|toi|qua) cho (?:no|chau|con|em|be|con be|thang be|con gai|co be) (?:nam|ngu)', 'ga (?:tinh|gam)',
      '(?:bat|ep|bi) (?:coi|cuoi) (?:do|quan|ao|het)', 'tut (?:quan|vay) (?:[a-z]+ ){0,3}(?:ra |)(?:coi|xem|nhin|so|soi)',
      // A grown-up showing himself to children ('tụt quần khoe của quý cho tụi con nít coi', 'phơi chim ra').
      '(?:tut|vach|keo|coi) (?:quan|vay)(?: [a-z]+){0,2} (?:khoe|(?:ra |)truoc mat|cho (?:[a-z]+ ){0,3}(?:coi|xem|nhin))', '(?:khoe|phoi|chia|tho|lo|moc) (?:ra |)(?:cai |)cua quy', '(?:khoe|phoi|chia|tho|moc) (?:ra |)(?:cai |)(?:chim|bo phan)(?: ra|) (?:cho|truoc)', 'keo vay', 'vay (?:len|lot)', 'ngoi (?:len |)(?:long|dui)', 'chup len', 'gat gam', 'goi duc', 'ep (?:ngu|quan he)', '(?:ep|bat) (?:em|chau|con|be|no|con be) ngu (?:cung|chung)(?! phong)', 'thoc tay', '(?:bi |)lot (?:do|quan|ao|het do|sach do|truong)', '(?:bat|ep) (?:(?:em|chau|con|be|no|con be|thang be) |)mut', '(?:bi|hay|cu|thuong|bat dau) (?:[a-z]+ ){0,3}dung cham(?! nhau)', 'dung cham (?:vao |)(?:nguoi|nguc|vung|cho kin|co the)',
      'bat (?:cam|camera|webcam)(?: [a-z]+){0,5} (?:tam|xem nguoi|coi nguoi|khong mac|thay do|coi do|coi ao|coi quan)', 've (?:o |)nha chong(?! mat)', 'an o voi nhau',
      '(?:o|song) chung (?:voi nhau|nhu vo chong|\\d+ thang|may thang|duoc)', '(?:o|song) (?:voi|cung) nhau nhu vo chong',
      'lam dung(?! (?:suc|lao dong|thuoc|chuc|quyen|ruou|dien thoai))', 'thu dam', 'ro (?:mo|vao (?:nguoi|nguc|vung|cho|chim))',
      '(?:keo|om|bat ngoi) (?:vao|len) (?:long|dui)', '(?:vo|chui vao|chui vo) (?:mung|buong) (?:con|chau|em|be)', 'ngu voi khach', 'tiep khach', '(?:du|ep|bat|dua|ru|cho|keu|bi) (?:[a-z0-9]+ ){0,6}di khach(?= |$)', 'bi (?:[a-z]+ ){0,3}(?<!an )hiep(?! hoi| si| dinh)', 'hiep (?:con be|con gai|chau|be|no|em)(?= |$)',
      'rinh (?:[a-z]+ ){0,2}(?:tam|thay do|thay quan ao)', '(?:thoc|tho|luon) tay vao (?:ao|quan|vay|trong|nguoi)', 'de (?:no|han|ong ta|ong ay|ong|chu) (?:ro|so|sam)',
      `(?<!nguy co |nguy co bi |phong chong |phong ngua |phong tranh |chong )${PAST_CRIME}xam hai (?:tre|be|chau|con|em)`,
      // "Con tôi bị xâm hại": said of a child, the word is the sexual act; not a risk ("nguy cơ bị", "để không bị").
      '(?<!(?:nguy co|de|tranh|khoi|khoi bi|chong|khong) )bi (?:[a-z]+ ){0,2}xam hai(?! (?:gi|khong|hay khong|ko)(?= |$))',
    ),
  },
  {
    id: 'meeting',
    kind: 'online',
    reason: 'người quen qua mạng hẹn gặp riêng trẻ',
    // A meeting only counts with the internet named somewhere in the message (grooming ends in one);
    // a room at a guest house counts whatever led to it.
    pattern: new RegExp(
      `^(?=.*(?:^| )${ONLINE}(?= |$)).*(?:^| )(?:hen (?:[a-z0-9]+ ){0,8}gap|(?:doi|ru|xin|ep|bat|keu|hua) (?:[a-z0-9]+ ){0,3}gap(?= (?:mat|rieng|ngoai|o|tai|truc tiep)|$)|(?:di|ra|den|toi) gap (?:nguoi|anh|ong|chu|han|thang|ban|huu|ke|nguoi do|nguoi ta)|ngay hen|cho gap)(?= |$)` +
        `|${words('(?:hen|dua|dan|ru|keo|loi|cho|chuoc) (?:[a-z0-9]+ ){0,4}(?:ra|vao|den|toi|len|o) (?:nha nghi|khach san)').source}`,
    ),
  },
  {
    // Chained, caged, tied to a post or shut in the dark for days (docs/corpus.md rule 4: violence whatever
    // the reason, by a carer or by other children): the child is held and cannot get away, so it is told as
    // it goes on. Tied and beaten ("trói tay đánh"), or shut in a room once, is an act told: the model reads
    // its urgency. Folded "xích" is also "xích đu" (a swing) and "xích lại" (move closer), "trói" also
    // "trời" and "trôi", "buộc" also "bước", "cột" also "cốt": only in their phrases.
    id: 'restrained',
    kind: 'violence',
    reason: 'trẻ bị trói hoặc nhốt',
    // Told as past and over ("tháng trước bị trói…, giờ đã đỡ", "đã được cởi ra"): an act told, not a child held now.
    pattern: new RegExp(`^(?!.*(?:^| )(?:thang truoc|tuan truoc|nam truoc|hoi truoc|truoc day|hoi nho|da duoc (?:tha|coi|cuu|dua ra)|gio (?:da|chau da|no da|em da)|da do)(?= |$)).*${words(
      'xich (?:chan|tay|co|ca nguoi)', 'bi (?:[a-z]+ ){0,3}xich(?! (?:du|lai|ra|qua|vao trong)(?= |$))', 'xieng xich', 'day xich', 'xich sat',
      '(?:xich|troi|buoc|cot|bi cot) (?:[a-z0-9]+ ){0,4}(?:vao|vo|o|tai|ngoai|trong|duoi|canh|sau) (?:(?:chan|goc|than|canh) |)(?:cot(?! song)|goc cay|cay|giuong|chan giuong|chan ban|cua so|song cua|cau thang|chuong|ghe|thanh giuong)',
      '(?:con|van|dang) (?:dang |)bi (?:[a-z]+ ){0,2}(?:troi|buoc|xich)(?! (?:xuong|ra|di|theo|dat|song|suoi)(?= |$))', 'van (?:dang |)bi (?:[a-z]+ ){0,2}nhot',
      '(?:nhot|giam|khoa|nhet) (?:[a-z0-9]+ ){0,4}(?:trong|vao|vo|o|duoi) (?:cai |mot |chiec |)(?:chuong|cui|long|hom|thung|ham|chum|bao tai)',
      '(?:nhot|giam|khoa) (?:[a-z0-9]+ ){0,4}(?:trong|vao|o|duoi) (?:kho|nha kho|phong toi|buong toi|nha ve sinh|gac|phong|buong)(?: [a-z0-9]+){0,4} (?:tu (?:hom qua|toi qua|sang|hom kia|dem qua)|(?:may|nhieu|vai|hai|ba|\\d+) (?:ngay|dem|hom)|ca (?:ngay|dem)(?: lan dem| ca dem|))',
    ).source}`),
  },
  {
    id: 'with_abuser',
    kind: 'violence',
    reason: 'trẻ vẫn ở cùng người gây hại',
    pattern: words(
      'van (?:o|song|ngu|sinh hoat) (?:chung|cung|voi)', '(?:o|song) chung nha', `dang o (?:voi|cung) ${ABUSER}`,
      'khong (?:co |)(?:cho|noi) nao (?:de |)(?:di|o)', 'khong dam ve nha', 'so (?:khong dam |)ve nha', 'o mot minh voi',
      `${ABUSER} van (?:o|lui toi|den|sang|hay sang|o nha)`, 'van bat (?:con|chau|em|be) o nha',
    ),
  },
  {
    id: 'infant_abandoned',
    kind: 'abandonment',
    settles: true,
    reason: 'trẻ nhỏ bị bỏ rơi',
    pattern: words(
      `${CHILD} so sinh`, 'so sinh', 'do hon', 'day ron', 'de roi', 'bo roi', 'vut bo', 'bo con (?:o|tai|lai)',
      '(?:bi |)(?:bo|vut|de|dat|nem|quan) (?:(?:con|be|chau|no|dua be|thang be) |)(?:lai |)(?:o|tai|truoc|trong|xuong|ngoai|canh|gan|tren) (?:cong|thung|bai|bui|goc|ghe|cho|chua|nha tho|benh vien|tram|muong|ruong|duong|tui|bao|chuong|nghia|xe|ben)',
      'boc trong (?:khan|chan|tui|bao)',
      // Someone left a baby ("có ai để lại em bé trước cửa chùa").
      '(?:ai do|ai|nguoi nao|nguoi nao do|co nguoi|nguoi la) (?:de|bo|dat|vut|quang|nem) (?:lai |)(?:mot |)(?:em be|dua be|dua tre|chau be|be so sinh|tre so sinh|dua nho)', 'chon song', 'nhat duoc',
      // A baby left in something ("một cái giỏ có em bé trước cửa trạm"); folded "giỏ" is also "giờ" (now), so
      // only after "cái / chiếc / một".
      '(?:cai|chiec|mot) (?:gio|thung|hop|bao|thung giay|thung carton|thung xop|tui)(?: [a-z]+){0,2} (?:co|dung|chua) (?:em be|dua be|dua tre|chau be|tre so sinh|be (?:trai|gai|so sinh))',
      '(?:bo|bi bo) (?:lai|di)(?: [a-z0-9]+){0,8} (?:o|song|nam|ngoi) mot minh', 'bo di (?:lay (?:chong|vo) khac|biet tich|biet tam|dau mat)', 'di (?:biet tam|biet tich|bien biet|biet)', 'biet tam',
      // Both parents vanished ('rồi cả hai cùng đi mất'), whoever houses the child for now.
      '(?:bo me|cha me|ba ma|ca hai|ca bo lan me)(?: [a-z]+){0,2} (?:di mat|bo di mat|bien mat)(?= |$)',
      // A child alone for weeks or months ("ở lại căn nhà dột một mình mấy tháng nay").
      `${CHILD}(?: [a-z0-9]+){0,10} mot minh (?:[a-z]+ ){0,2}(?:may|nhieu|hang|ca|vai|\\d+) (?:thang|nam|tuan)(?: nay| roi| lien|$)`, 'cat (?:het |)lien lac', `${NOBODY_RAISES}(?:nhan|chiu) (?:nuoi|nhan|cuu mang)`, 'bo tron', 'bo(?: [a-z0-9]+){1,4} lai(?: [a-z0-9]+){0,6} (?:o|song|nam|ngoi) mot minh',
      `${NUMBER} thang tuoi(?: [a-z0-9]+){0,8} (?:mot minh|bo doi|khong ai|bo mac|khoc thet|met la|nam la|bi bo)`,
      // A baby of some months ("đứa bé mới 2 tháng … không ai cho bú"); "2 tháng nay" is a time, not an age.
      `(?:be|chau|con|em be|con be|thang be|dua be|dua nho) (?:moi |duoc |khoang |chung |tam |)${NUMBER} thang(?! (?:nay|qua|roi|truoc|lien|sau))(?: [a-z0-9]+){0,12} (?:mot minh|bo doi|khong ai|bo mac|khoc thet|met la|nam la)`,
      // A baby of one or two left alone, and a child nobody feeds or raises, are in danger now.
      '(?:1|2|mot|hai) tuoi(?: [a-z0-9]+){0,8} (?:mot minh|khong ai (?:trong|cham))', `${NOBODY_RAISES}(?:nuoi|nhan nuoi)`,
      // …or locked in the house while the carers are out ("bé mới hơn 1 tuổi, bố mẹ khóa cửa đi làm đến tối").
      `(?:(?:1|2|mot|hai) tuoi|${NUMBER} thang tuoi)(?: [a-z0-9]+){0,10} (?:khoa (?:cua|trai|nha|lai|(?:trong|o) nha)|nhot (?:trong|o) nha|nhot lai|nhot (?:no|be|chau|con) (?:trong|o) nha)`,
      `(?:khoa (?:cua|trai)|nhot)(?: [a-z0-9]+){0,4} (?:be|chau|con|em be|con be|thang be|dua be|dua nho) (?:moi |chua |khoang |chung |tam |)(?:(?:1|2|mot|hai) tuoi|${NUMBER} thang tuoi)`,
      // A child sleeping rough, nobody's ('tối ngủ dưới sạp', 'ngủ gầm cầu'): no carer at all.
      '(?:toi|dem)(?: [a-z]+){0,2} ngu (?:o |tai |)(?:ngoai duong|duoi sap|gam cau|duoi gam cau|via he|ngoai cho|hien cho|mai hien|ben xe|cong vien|ngoai hien)',
      // Children left at home while the parents are away for a week or more.
      '(?:di|vang|bo di)(?: [a-z]+){0,2} (?:ca|mot|may|hai|ba|nhieu|vai) tuan(?: [a-z0-9]+){0,10} (?:de|bo)(?: [a-z0-9]+){0,8} o nha',
      '(?:bi bo|de|bo)(?: [a-z0-9]+){0,6} o nha(?: [a-z0-9]+){0,8} (?:ca|mot|may|hai|ba|nhieu|vai) tuan',
      // Parents away for months who neither send money nor call, the children living by themselves.
      `(?:bo me|ba ma|cha me|bo|me|ba|ma|cha)(?: [a-z]+){0,6} (?:ca|may|nhieu|hang|vai|${NUMBER}) (?:nam|thang)(?: [a-z0-9]+){0,6} (?:khong|chang|chua) (?:gui tien|goi (?:ve|dien)|lien lac|ve tham)(?: [a-z0-9]+){0,10} (?:tu (?:song|lo|nuoi nhau)|an nho|xin an|khong ai (?:nuoi|trong|lo))`,
      // A child living off the neighbours for months, or whose parents nobody knows: nobody raises them.
      `an nho (?:nha |com |)(?:hang xom|nguoi ta|ba con|lang xom)(?: [a-z0-9]+){0,3} (?:ca|may|nhieu|hang|vai|${NUMBER}) (?:thang|nam)`,
      '(?:khong|chang) (?:ro|biet) (?:bo me|cha me|ba ma|nguoi nha|gia dinh)(?: (?:no|chau|be|em|cua no))? (?:o dau|la ai|di dau)',
    ),
  },
  {
    id: 'in_water',
    kind: 'drowning',
    settles: true,
    reason: 'trẻ gặp nạn dưới nước',
    pattern: words(
      // Folded "chơi với" (play with) is "chới với" (floundering), "bị trói" (tied) "bị trôi": only with water.
      '(?:dang|bi) (?:chim|duoi nuoc|nuoc cuon|cuon troi|lu cuon)', '(?:dang|bi) troi(?! (?:tay|chan|vao|lai|ca|bang|nguoi|o|trong))', 'nuoc cuon', 'lu cuon', 'cuon troi',
      `choi voi (?:[a-z]+ ){0,3}(?:giua dong|duoi nuoc|${WATER})(?= |$)`, `${WATER}(?: [a-z0-9]+){0,4} choi voi`,
      `(?:roi|nga|te|truot chan|nhay|lan) (?:xuong |vao |)${WATER}`, 'chet duoi', '(?<!nguy co |phong chong |phong tranh |phong |tai nan |day boi |bi )duoi nuoc', 'bi duoi nuoc',
      '(?:vot|mo|tim|thay|phat hien) (?:duoc |thay |ra |)(?:xac|thi the)', 'chua thay noi', 'khong thay noi', 'nhan nuoc', 'sac nuoc',
      // A small child left at a tub, bucket or basin of water with nobody watching.
      `(?:roi|nga|te|nhao|chui|bo|up mat) (?:xuong |vao |)${TUB}`, `${TUB}(?: [a-z0-9]+){0,8} ${ALONE}`, `${ALONE}(?: [a-z0-9]+){0,8} ${TUB}`,
    ),
  },
  {
    id: 'happening_now',
    reason: 'đang xảy ra',
    pattern: words(
      'dang bi (?:danh|dap|hanh|nhot|troi|buoc|bat|ep|doa|keo|dua|giu|xam|cuon|chem|dam|quanh|vay|loi)',
      // Whole words after: "đánh cờ", "đánh răng" are not violence, but "đang đánh con bé" is.
      'dang (?:danh|dap|quanh|chem|dam|keo|nhot|troi|buoc|hiep|ep|loi|vay danh)(?! (?:gia|bai|ca|co|may|rang|van|dau|sach)(?= |$))',
      'ngay bay gio', 'ngay luc nay', 'cuu (?:voi|em|chau|be|con|toi|minh|gium|giup|nguoi)', 'ai cuu', 'keu cuu', 'la lang',
      'mau len', 'nhanh len', 'gap lam', 'khan cap', 'giup gap', 'dang chuan bi di', 'dang (?:khoc|run) (?:thet|cam cap)',
    ),
  },
  {
    id: 'suicide',
    kind: 'suicide',
    reason: 'trẻ có ý định tự tử hoặc tự làm hại',
    pattern: words(
      // Folded "đi tù, hai đứa…" reads as "tự hại": prison words before "tu" are not self-harm.
      `${NOT_PRISON}tu (?:tu|sat|hai)`, 'muon chet', 'mun chet', 'khong muon song', 'chan song', 'chet (?:di|cho xong|cho nhe|cho moi nguoi)', 'chet (?:quach|phut|luon|mat|queo) (?:di|cho)(?: xong| roi| nhe| ranh|$)',
      'ket thuc cuoc doi', 'ket lieu', 'bien mat khoi', 'uong (?:thuoc (?:ngu|sau|chuot|diet co|tru sau)|ca vi|nguyen vi|bao nhieu vien)',
      'uong (?:het|ca|nguyen) (?:lo|vi|hop|chai|nam) thuoc', '(?:song|cuoc doi) (?:chang|khong) (?:co |con |)(?:y nghia|gi)', 'la ngon', 'treo co', '(?:rach|cat|dot) tay', 'tu (?:lam dau|rach|cat(?! (?:toc|mong)))', 'nhay (?:cau|lau|xuong cho xong)',
      'tuyet menh', 'khong day nua', 'vet (?:cat|rach) (?:o |tren |)(?:co tay|tay)', '(?:rach|cat) co tay', 'tu (?:cao|cat|rach|dot) (?:tay|nguoi|minh)', 'chon ngay (?:de |)ra di', 'muon di theo (?:me|bo)', 'tam biet moi nguoi', 'la ganh nang', 'nghi (?:den |)(?:cai |)chet',
      'ket thuc (?:tat ca|moi thu|moi chuyen|cuoc song|ban than)', '(?:nhieu|day|dau|nhung|them) (?:vet|seo) (?:cat|rach|cua|dao lam)', '(?<!(?:^| )(?:may|dao|kinh|ton|sat) )cua (?:tay|co tay|dui|vao tay)', 'tu cua', 'rach (?:dui|co tay|vao tay)', 'khong muon ton tai', '(?:se |)khong con (?:o day|tren doi|tren the gian) nua', 'xin loi (?:moi nguoi|ca nha|bo me|ba ma)(?: [a-z]+){0,3} (?:lan cuoi|vinh biet|tam biet)', '(?:dung|ngoi|leo|treo|trao) (?:o |tren |ra |len |)(?:lan can|mep san thuong|thanh cau|thanh lan can|san thuong|mep cau)(?: [a-z0-9]+){0,6} (?:khoc|doa|noi|nhay|doi)', '(?:song|ton tai) (?:chang |cung chang |)de lam gi', 'thi (?:se |)chet',
      // "Everyone would be happier if I disappeared", "muốn biến mất mãi mãi": a child who sees no place for themselves.
      '(?:bien mat|chet|khong (?:con|o day|ton tai|song)|bo di|di luon|(?:neu |)khong co (?:em|con|minh|toi|tui|chau))(?: [a-z]+){0,3} (?:thi|la|chac) (?:moi nguoi|ca nha|bo me|ba ma|cha me|ai cung|gia dinh)(?: [a-z]+){0,2} (?:vui|nhe|do|tot|hanh phuc|sung suong|thoai mai|yen on)',
      '(?:thay|la) (?:minh|em|con|toi|tui|chau) (?:that |qua |)thua thai',
      'muon bien mat', 'bien mat (?:mai mai|vinh vien|luon cho)', 'khong muon (?:thuc day|thuc giac|mo mat) nua',
      // A farewell sent, or the fear that the child will "do something foolish" (the usual euphemism).
      '(?:tin nhan|thu|loi|nhan tin|gui tin|de lai|viet) (?:[a-z]+ ){0,2}(?:tu biet|vinh biet)', 'vinh biet', '(?:loi|kieu|nhu|viet|de lai|dang) tran troi', 'lam (?:gi|chuyen|dieu|viec) dai(?: dot|)(?= |$)', 'dai dot', 'suy nghi quan', 'nghi quan (?:roi|lam|qua|ma|nen)',
    ),
  },
  {
    id: 'trafficking',
    kind: 'trafficking',
    reason: 'có dấu hiệu mua bán hoặc bắt cóc trẻ',
    pattern: words(
      'bat coc', 'bat vo', '(?:mua ban|buon ban) (?:nguoi|tre|tre em|tre so sinh|gai|con gai|be gai|phu nu)', 'bi (?:mua ban|buon ban)', 'buon nguoi', 'ban (?:tre|con (?:cho|di|lay|nho))', `(?<!(?:^| )doa(?: se| la|) )ban ${SOLD}(?: [a-z0-9]+){0,2} (?:cho|sang|qua|di|lay|duoc|voi gia)(?= |$)`, 'ban be (?:cho|lay|sang|qua|voi gia)',
      '(?:dem|mang|lua|dinh) (?:[a-z0-9]+ ){0,3}ban(?= cho| sang| qua| di| lay| vao|$)', 'bi (?:dem |lua |)ban (?:sang|qua|cho|vao|di)', 'ban (?:qua|sang|vao) (?:bien gioi|trung quoc|ben|nha)', 'qua bien gioi', 'sang bien gioi',
      'ben kia bien gioi', 'cua khau', 'tien chuoc', 'bi bat (?:di|len)', '(?:loi|keo|bo|dua|du) (?:len|vao) (?:xe|o to)',
      // Carried off: "bế" typed with its marks reads "am" (cueText), as "ẵm" does. Folded, "be mat" is as
      // often "bé mất" (the child died, or is lost) and "be len xe" "bé lên xe": only a taker, "bị", or the
      // child carried makes it "bế".
      `am ${CARRIED}`, `(?:bi (?:${TAKER} |)|${TAKER} )be ${CARRIED}`, 'be mat (?:con|chau|em be|be|thang be|con be|dua be|dua nho|no)(?= |$)',
      'mua (?:con|tre|be|dua (?:be|tre))', 'tra gia', 'lam con nuoi', 'cho con nuoi', 'moi gioi', 'giu giay to', 'bi du (?:di|theo)',
      '(?:dem|mang) con (?:cho|di ban)', 'ban (?:duoc |voi gia |)\\d+ trieu', 'ke la (?:dua|bat|bong|be|dan|dat|don) (?:di|chau|con|be|em)', 'gia (?:mao|lam) (?:nguoi nha|phu huynh)',
      // A child married off, lured or taken abroad: the border provinces' trafficking route.
      '(?:lay chong|lam vo|ga|cuoi)(?: [a-z0-9]+){0,5} (?:nguoi |)(?:trung quoc|nuoc ngoai|tau|dai loan|han quoc)',
      '(?:dua|dem|du|ru|lua|ga|ban)(?: [a-z]+){0,5} (?:sang|qua|ra) (?:trung quoc|nuoc ngoai|ben tau|ben kia)',
      // "đi làm bên Trung" (China, said short), not "trung tâm", "trung học", "trung thu"…; money paid to the
      // parents for a child ("trả trước cho bố mẹ 20 triệu").
      '(?:lam|di) (?:ben|sang|qua) trung(?! (?:tam|hoc|thu|binh|uong|thanh|tuyen|doan|nien|gian|cap|ta|ky|phong|si|lap|thuc|hau|ve)(?= |$))',
      `tra (?:truoc |)(?:cho |)(?:bo me|cha me|ba ma|gia dinh)(?: [a-z]+){0,2} ${NUMBER} (?:trieu|tr|chi|cay vang)`,
    ),
  },
  {
    id: 'left_behind',
    kind: 'abandonment',
    settles: true,
    reason: 'trẻ bị bỏ lại không ai đón',
    pattern: words(
      // Whoever brought the child went away: "không ai quay lại đón", "mẹ nó không quay lại".
      '(?:khong|chang|chua|van chua) (?:thay |co |)(?:ai|nguoi nao|ai ca|ai het)(?: [a-z]+){0,2} (?:quay lai|tro lai|quay ve|tro ve|quay lai don|den nhan|toi nhan|ra nhan)',
      '(?:khong|chang|chua|van chua) (?:thay |)(?:quay lai|tro lai) (?:don|nhan|tim|lay|dua)',
      // Left at a public place: "bị bỏ lại ở chợ", "ai đó bỏ một bé chừng 2 tuổi ở bến xe". Folded "bị bỏ" is
      // also "bị bố" (by the father), so it counts right before the place; the others name the child.
      `bi (?:bo|de) (?:lai |roi |quen |)${AT} ${PUBLIC_PLACE}`,
      `(?:bo lai|bo quen|de quen|de lai|(?:ai do|nguoi nao do|nguoi la|ai|nguoi ta|co nguoi|ho|han|nguoi do) bo)(?: [a-z0-9]+){0,2} ${CHILD}(?: [a-z0-9]+){0,4} (?:lai |)${AT} ${PUBLIC_PLACE}`,
    ),
  },
  {
    id: 'used_for_crime',
    kind: 'law',
    level: 'P1',
    reason: 'trẻ bị người lớn lợi dụng để phạm tội',
    pattern: words(`${MADE_TO}${GAP}{0,6} (?:di |lam |)${CRIME}`),
  },
  {
    // Work a child does to live (scavenging, lottery tickets, begging, shoe-shining): child labour, P1 by
    // the domain rules, whatever the category read (a poor family's children "hay ra bãi rác nhặt ve chai").
    id: 'child_work',
    kind: 'labour',
    level: 'P1',
    reason: 'trẻ phải lao động kiếm sống',
    pattern: words(
      '(?:nhat|luom|boi|luon) (?:ve chai|phe lieu|chai lo)', '(?<!(?:me|bo|cha|ma|ba|than|nguoi lon)(?: [a-z]+|) )ban (?:ve so|hang rong|keo cao su|keo kieng)',
      // Heavy loads and heights a child is hired for ("khiêng gạch", "vác đá ở mỏ", "lên giàn giáo"); not a parent's work.
      '(?<!(?:me|bo|cha|ma|ba|than|nguoi lon)(?: [a-z]+|) )(?:khieng|vac|boc|cong|ganh) (?:gach|da|xi mang|cat|bao|hang|go|than|lua|mia)', '(?:len|leo|treo) (?:tren |)gian giao',
      'danh giay', 'an xin', '(?:ngoi|di|dung) xin (?:tien|an|com)', 'xin tien (?:o|tai|ngoai) (?:cho|nga tu|cong|ben|duong|quan)',
    ),
  },
  {
    // A child who goes hungry, whom nobody feeds: neglect, P1 by the domain rules, whatever the category
    // read. "Bị bỏ đói" is left out: status questions retell it ("chuyện mấy đứa nhỏ bị bỏ đói…").
    id: 'hungry',
    kind: 'neglect',
    level: 'P1',
    reason: 'trẻ bị bỏ đói',
    pattern: words(
      'doi (?:thuong xuyen|lien tuc|hoai|suot|meo|la|ca ngay|ca buoi)', 'nhin doi', 'bung doi',
      '(?:khong|chang) (?:co |)(?:ai|nguoi nao) (?:cho (?:an|bu)|nau (?:com|an|cho)|lo (?:an|com|cho an))', 'khong (?:duoc |)cho an',
    ),
  },
  {
    // A child the carers will not have treated or vaccinated ("không cho đi khám", "bảo để tự khỏi",
    // "tiêm làm gì cho tốn tiền"): neglect, P1 by the domain rules (docs/corpus.md).
    id: 'untreated',
    kind: 'neglect',
    level: 'P1',
    reason: 'trẻ không được chữa bệnh',
    pattern: words(
      '(?:khong|chang|chua) (?:chiu |)(?:cho|dua|dan) (?:[a-z]+ ){0,2}(?:di |)(?:kham|tiem|chua|bac si|nha si|tram y te|tram xa|vien|benh vien)',
      '(?:khong|chua) (?:duoc |)(?:tiem|chua tri|di kham|chua chay)', '(?:bao|noi|cho la) (?:cu |)(?:de |)(?:no |)tu khoi',
      // Folded "chữa làm gì" is also "chưa làm gì" (has done nothing yet): "chữa" only with what it treats.
      '(?:tiem|kham|chua benh|chua tri|di chua|dua di chua) (?:lam gi|ton tien)',
    ),
  },
  {
    // A hazard where children are (a live wire down, an uncovered well, an unfenced pond): a risk to report,
    // P2 by the domain rules, but a concern whatever the model reads, since nobody is to blame in the words.
    id: 'hazard',
    kind: 'drowning',
    level: 'P2',
    reason: 'nguy cơ tai nạn nơi trẻ ở',
    pattern: words(
      'day dien (?:[a-z]+ ){0,2}(?:roi|dut|ho|chung|sa|vong|lo|tuot|rot|nam)(?: xuong| ra| sat| duoi|)(?= |$)', '(?:cot|tru) dien (?:[a-z]+ ){0,2}(?:nghieng|sap|do|gay)',
      `(?:${WATER}|gieng|ho voi|ho sau) (?:[a-z]+ ){0,3}(?:khong (?:co |)(?:rao|nap|che|day|bien bao)|ho mieng)(?! (?:the|tien|card))`,
    ),
  },
  {
    id: 'missing',
    kind: 'missing',
    settles: true,
    reason: 'trẻ mất tích hoặc chưa về nhà',
    pattern: words(
      'mat tich', 'tu (?:sang|trua|chieu|toi|hom qua|dem qua|toi qua|qua)(?: [a-z0-9]+){0,4} (?:chua|khong|chang) (?:thay |)(?:ve|dia)(?: nha|)', `${CHILD}(?: [a-z0-9]+){0,8} (?:chua|khong) (?:thay |)(?:ve|dia)(?: nha|)`, '(?:chua|khong|chang) thay (?:ve |)(?:toi|den) nha', 'chua ve (?:toi|den) nha', 'bo nha (?:di|ra di)', 'bo di (?:dau|khoi nha|theo)', '(?<!(?:^| )(?:khong|chua|chang) )di lac', 'bi lac', 'lac (?:duong|mat|o)',
      'mat lien lac', 'khong lien lac duoc', 'khong thay dau', 'biet tich', 'khong biet (?:[a-z]+ ){0,2}(?:o|di) dau', 'tron khoi', 'tat may', 'di bui', 'mat tieu',
      '(?:khong|chua) tim (?:thay|duoc)', 'khong (?:co|thay) (?:o|mat) (?:o |)(?:truong|lop)(?: [a-z0-9]+){0,6} nha cung khong', 'dang (?:di |)tim', // A child's phone that nobody answers: with the child named before it (a service number that does not answer is not).
      `${CHILD}(?: [a-z0-9]+){0,14} (?:(?:goi|lien lac)(?: [a-z0-9]+){0,3} (?:khong|chang) (?:duoc|nghe|bat may)|thue bao|(?:khong|chang|chua) (?:goi|nhan tin|lien lac) ve)`,
      'dien thoai (?:cung |thi |van |)thue bao', 'thue bao (?:quy khach|khong lien lac|tam thoi)', '(?:di|o) dau (?:khong|chang|ko) (?:ai |)(?:biet|ro)', 'kiem (?:hoai|khap)', 'tim khap', 'di tim', 'khong ai don',
    ),
  },
];

/**
 * Monthly-count pairs ("xâm hại 1", "đuối nước: 0") are figures, not events, and so is a village head's zero
 * "không có cháu nào bị đuối nước" (with rows joined by "hay", "hoặc", "và": "…tử vong hay đuối nước"):
 * they are dropped before cues run.
 */
const COUNT_ALIASES = DEFAULT_COUNT_FIELDS.flatMap((f) => [f.key, ...f.aliases]).sort((a, b) => b.length - a.length).join('|');
// Not a figure: a word that ends in an alias ("nhà vệ sinh 2 ngày", "học sinh 2 đứa") or a number of days,
// hours or years after it ("nhốt trong nhà vệ sinh 2 ngày" is a child held, not two births).
const NOT_A_FIGURE_BEFORE = '(?<!(?:^| )(?:ve|hoc|giang|phat|hy|ky) )';
const NOT_A_FIGURE_AFTER = '(?! (?:ngay|dem|hom|tuan|tuoi|gio|tieng|lan|buoi|phut|bua)(?= |$))';
const COUNT_PAIR = new RegExp(`(?:^| )${NOT_A_FIGURE_BEFORE}(?:${COUNT_ALIASES}) (?:\\d+|khong)(?= |$)${NOT_A_FIGURE_AFTER}`, 'g');
const COUNT_ZERO = new RegExp(
  `(?:^| )(?:khong|chang) co (?:chau|tre|tre em|truong hop|ai|em|be) nao (?:bi |)(?:${COUNT_ALIASES})(?: (?:hay|hoac|va|voi) (?:bi |)(?:${COUNT_ALIASES}))*(?= |$)`,
  'g',
);

/**
 * Words typed with their marks that folding would merge with a word a cue reads: "bố" (father) folds to
 * the "bo" of "bỏ" (leave), so "bố cháu ở chợ" read as "bỏ cháu ở chợ"; "bạn" (friend) to the "ban" of
 * "bán" (sell: "bạn cháu sang chơi", "bị bạn đâm" read as "bán cháu", "bán dâm"); "sưng" (swollen) to the
 * "sung" of "súng" (gun: "có sưng không"); "bế" (carry) to the "be" of "bé" (child: "bé mất" is no
 * abduction); "trói" (tied) to the "troi" of "trôi" (swept away: "tay còn bị trói" read as a child in the
 * water). Typed with marks, each is read as a word of its own sense ("cha", "huu" for bạn hữu, "phu"
 * for phù, "am" for ẵm, "buoc" for buộc), which the phrases that mean a friend or a carrying accept too; typed
 * without, the folded word stays both (urgency never rounds down on a doubt).
 */
const MARKED_SENSE: Readonly<Record<string, string>> = { 'bố': 'cha', 'bạn': 'huu', 'sưng': 'phu', 'bế': 'am', 'trói': 'buoc' };

/** The text the cues read: the normalised tokens, with the marked words above in their own sense. */
export function cueText(toks: readonly Token[]): string {
  return toks.map((t) => (t.marked !== undefined ? MARKED_SENSE[t.marked] : undefined) ?? t.word).join(' ');
}

/** The cue of an id, for a reason a report keeps (undefined for an id no cue has any more). */
export function cueOf(id: string): Cue | undefined {
  return CUES.find((c) => c.id === id);
}

/** The cues that fire on `normalised` text (src/nlu/normalise.ts, or cueText). */
export function firedCues(normalised: string): Cue[] {
  const text = normalised.replace(COUNT_ZERO, ' ').replace(COUNT_PAIR, ' ');
  return CUES.filter((cue) => cue.pattern.test(text));
}

// The child is back, found, safe or taken in ("cảm ơn, cháu đi lạc đã về rồi", "tìm thấy bé rồi, bé bình an").
const SETTLED = words(
  `${CHILD}(?: [a-z0-9]+){0,6} (?:da |)(?:ve|quay ve|tro ve|duoc (?:dua|don|dan|cho) ve)(?: nha| den nha|)(?: roi| an toan| binh an|$)`,
  '(?:da|gio) (?:ve|quay ve|tro ve)(?: [a-z]+){0,3} (?:roi|an toan|binh an)',
  '(?:da |duoc |)tim (?:thay|duoc|ra)(?: [a-z]+){0,2} roi', '(?:da|duoc) tim (?:thay|duoc|ra)', 'binh an', 'an toan roi', 'yen tam roi',
  'khong sao (?:roi|ca|nua|dau|het)', 'da (?:on|khoe|binh phuc)(?: lai| roi|)', 'khoe (?:lai |)roi', '(?:da|duoc) (?:co nguoi |)nhan nuoi',
  'da (?:duoc |)cuu (?:song|len|kip|duoc)', 'khong can (?:tim|xuong)', 'khoi (?:tim|xuong)',
);
// …unless the message goes on to say something is still wrong.
const UNSETTLED = words(
  'chua (?:ve|thay|tim|co tin|lien lac|duoc)', 'khong (?:ve|thay|tim (?:thay|duoc)|lien lac)', 'nhung', 'van (?:chua|khong|bi|con|dang)',
  'lai (?:bo|mat|di|bi)', 'ke (?:la |)bi', 'noi (?:la |)bi', 'xac', 'thi the', 'tu vong', 'chet', 'khong qua khoi', 'da mat(?! tich)',
);

/** Whether `normalised` text says the child is back, found or safe, with nothing still wrong. */
export function settled(normalised: string): boolean {
  return SETTLED.test(normalised) && !UNSETTLED.test(normalised);
}
