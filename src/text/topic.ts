import { fold, lower, tokenize } from './normalize';
import { STOPWORDS } from './stopwords';
import { canonicalSyllable } from './terms';

/**
 * Generic phrases of questions about procedures and rules: they say what kind of answer is wanted (papers, fee,
 * place, duration, the rule) but not what it is about. Folded, matched longest first on whole syllables.
 */
const GENERIC_PHRASES = `
thu tuc hanh chinh|thu tuc|ho so|giay to|to khai|le phi|bao nhieu tien|bao nhieu|bao lau|mat bao lau|may ngay|may thang|bao gio
|khi nao|o dau|cho nao|noi nao|co quan nao|cap nao|can gi|can nhung gi|nhung gi|gom nhung gi|gom gi|lam sao|lam the nao
|nhu the nao|the nao|ra sao|dang ki|truc tuyen|online|qua mang|quy dinh|theo quy dinh|hien nay|bay gio|hien tai|van ban nao
|can cu phap li|lan dau|ket qua|moi nguoi|can cu|thoi han|thoi gian|trinh tu|cac buoc|thanh phan|huong dan|chi tiet|cu the|nguoi dan|cong dan
|giai quyet|thuc hien|gi vay|duoc khong|co duoc|co phai|co can|phai khong|the nao|luat nao|nghi dinh nao|o dau vay
|noi gi|quy dinh gi|nghi dinh|bo luat|thong tu|quyet dinh|nghi quyet|hom nay|ngay mai|hom qua|luc nay|mat may ngay|mat may thang|mat bao nhieu|mat phi|mat tien|ton tien|het bao nhieu|bao nhieu ngay|toi da|toi thieu|it nhat|co the|cho hoi|xin hoi|lam on|giup voi|ban oi
`
  .replace(/\n/g, '')
  .split('|')
  .map((p) => p.trim().split(' '))
  .filter((p) => p.length > 1)
  .sort((a, b) => b.length - a.length);

/** Single generic words that fold to nothing else. */
const GENERIC_FOLDED = new Set(
  'online phi dki dk nop xin duoc phai muon hoi dieu khoan diem luat nd nq tt qd noi'.split(' '),
);

/** Single generic words, as typed with accents (folded forms like "can" are also "căn", "may" also "máy"). */
const GENERIC_WORDS = new Set(
  'tui tao mik mk mn mng ae ad bn cháu tớ cần làm xin nộp cấp được phải muốn hỏi mất hết tốn có bị sẽ đã đang nên thì mà và với của cho để đến từ trong ngoài lúc lần nữa cũng còn cái việc ở tại đâu ai gì nào sao mấy không chưa rồi nhé vậy à hả ơi nhỉ thế là phí tiền gồm biết giúp ạ dạ'.split(
    ' ',
  ),
);
/** Folded generic words whose other readings carry meaning (căn, máy, đầu, thẻ, tử, đẻ, mặt, con, lấn, lâm, cặp). */
const AMBIGUOUS = new Set('can may dau the tu de mat con lan lam cap sao tien'.split(' '));

/**
 * Without accents, an ambiguous word is the generic one ("lam" = làm, "can" = cần) unless it sits in one of these
 * pairs, where it is the other word ("can cuoc" = căn cước, "xe may" = xe máy, "khai tu" = khai tử).
 */
const AMBIGUOUS_PAIRS = new Set(
  `can_cuoc can_ho can_nha can_thiep xe_may may_tinh may_moc may_bay nha_may dau_tu dau_gia dau_thau ban_dau
  the_can the_cccd the_bhyt the_bao the_ngan the_atm the_tam khai_tu tu_tuat tu_vong tu_phap tu_nhan tu_cach tu_van
  tu_thuc chung_tu nghi_de de_con sinh_de de_xuat de_nghi mat_dat mat_bang mat_tich bi_mat nguoi_mat mat_so
  mat_giay mat_the mat_can me_mat bo_mat ong_mat ba_mat con_nuoi con_trai con_gai con_chung con_rieng con_ruot
  cho_con nuoi_con sinh_con be_con tien_luong tien_phat tien_su tien_thue tien_bo lan_chiem lam_nghiep lam_san
  ban_sao sao_y sao_luc cap_doi cap_lai cap_xa cap_tinh cap_huyen cap_so`.split(/\s+/),
);

/**
 * Everyday words that sit beside a question's subject without being it: family ("bố tôi mất", "mẹ em"), coming and
 * going ("đi làm", "mang theo"), time and aspect ("vừa", "xong", "sau"). Beside another subject word they weigh
 * little, so that "bố tôi vừa mất, đi làm giấy chứng tử" is judged mostly on "giấy chứng tử"; they still count
 * (kinship matters in family and labour law: "bố đẻ chết thì được nghỉ mấy ngày").
 * As typed with accents:
 */
const WEAK_WORDS = new Set(
  'bố mẹ ba má cha ông bà anh chị em vợ chồng cháu cô chú bác dì cậu mợ thím dượng nội ngoại đi đến tới về lên xuống mang đem vừa mới xong rồi sang khác thêm nữa năm tháng tuần giờ sáng chiều tối nay này qua trước sau luôn liền ngay sắp định tính'.split(
    ' ',
  ),
);
/** Folded (typed without accents): only the readings that are everyday words in all but the listed pairs. */
const WEAK_FOLDED = new Set(
  'bo me ba cha ong em vo chau di den toi ve len xuong mang dem vua moi xong roi sang khac them nua nam thang tuan gio sau truoc nay luon lien ngay noi sap'.split(
    ' ',
  ),
);
/** Pairs in which a weak folded word is part of the subject ("sang tên", "liên thông", "về hưu", "nội vụ"). */
const WEAK_PAIRS = new Set(
  `sang_ten sang_nhuong lien_thong lien_quan lien_ket lien_he lien_thon ve_huu ve_sinh noi_vu noi_dung noi_bo
  noi_that noi_thanh noi_dia di_chuc di_san di_chuyen di_doi di_tich di_dan di_tru di_cu di_vat di_tat di_ung
  den_bu qua_han mang_xa mang_luoi bo_doi bo_nganh bo_cong bo_tu bo_tai bo_noi bo_y bo_giao bo_xay bo_lao
  bo_luat nam_nu gioi_nam viet_nam ha_noi toi_da toi_thieu toi_pham xuong_ruong sau_rieng moi_truong
  thang_may thang_long`.split(/\s+/),
);

const GENERIC_FOLDED_WORDS = new Set([...GENERIC_WORDS].map((w) => fold(w)).filter((w) => !AMBIGUOUS.has(w)));

interface TopicView {
  /** Folded, canonical syllables of the question. */
  tokens: string[];
  /** The same syllables as typed. */
  raw: string[];
  /** Indices of the tokens that carry the question's subject. */
  topic: number[];
  /** Those of them that are everyday words beside a stronger subject word (WEAK_WORDS): they weigh little. */
  weak: Set<number>;
}

/** Which syllables of a question say what it is about (not stop words, generic words or phrases). */
export function topicView(question: string): TopicView {
  // Document numbers ("151/2025/NĐ-CP") name a rule, not a subject: citation-lookup.ts handles them. Contact
  // details people add ("sđt 0912…", an e-mail) say who asks, not what about.
  const raw = tokenize(withoutContacts(question).replace(/\b\d+[/-][\p{L}\p{N}/.-]*/gu, ' '));
  const tokens = raw.map((t) => canonicalSyllable(fold(t)));
  const generic = new Array<boolean>(tokens.length).fill(false);
  for (let i = 0; i < tokens.length; i++) {
    if (generic[i]) continue;
    for (const p of GENERIC_PHRASES) {
      if (p.length > tokens.length - i) continue;
      if (p.every((w, j) => tokens[i + j] === w)) {
        for (let j = 0; j < p.length; j++) generic[i + j] = true;
        break;
      }
    }
  }
  const topic: number[] = [];
  tokens.forEach((t, i) => {
    // Numbers and stray consonants ("<b>", "k", "j" of chat shorthand) are not what a question is about.
    if (generic[i] || /^\d+$/.test(t) || /^[b-df-hj-np-tv-xz]$/.test(t)) return;
    const accented = lower(raw[i]);
    const typedAccents = accented !== t;
    if (GENERIC_FOLDED.has(t)) return;
    if (typedAccents) {
      if (GENERIC_WORDS.has(accented)) return;
    } else if (AMBIGUOUS.has(t)) {
      const inPair =
        (i > 0 && AMBIGUOUS_PAIRS.has(`${tokens[i - 1]}_${t}`)) ||
        (i + 1 < tokens.length && AMBIGUOUS_PAIRS.has(`${t}_${tokens[i + 1]}`));
      if (!inPair) return;
    } else if (GENERIC_FOLDED_WORDS.has(t)) return;
    if (STOPWORDS.has(t) && !AMBIGUOUS.has(t)) return;
    topic.push(i);
  });
  const strong = topic.filter((i) => !weakWord(tokens, raw, i));
  // All weak: they are the subject ("bố tôi cần giấy gì" asks about nothing else).
  const weak = new Set(strong.length ? topic.filter((i) => !strong.includes(i)) : []);
  return { tokens, raw, topic, weak };
}

function weakWord(tokens: string[], raw: string[], i: number): boolean {
  const t = tokens[i];
  const accented = lower(raw[i]);
  if (accented !== t) return WEAK_WORDS.has(accented);
  if (!WEAK_FOLDED.has(t)) return false;
  return !(
    (i > 0 && WEAK_PAIRS.has(`${tokens[i - 1]}_${t}`)) ||
    (i + 1 < tokens.length && WEAK_PAIRS.has(`${t}_${tokens[i + 1]}`))
  );
}

/** The subject in the user's own words ("hộ chiếu", "xe máy"): runs of topic syllables, at most `max` words. */
export function subjectPhrase(view: TopicView, max = 8): string {
  const runs: string[][] = [];
  let prev = -2;
  const idx: number[][] = [];
  for (const i of view.topic) {
    if (i !== prev + 1 || !idx.length) idx.push([]);
    idx[idx.length - 1].push(i);
    prev = i;
  }
  // Everyday words at the edges of a run are left out ("bố", "vừa", "đi"); inside it they stay ("xe máy mới mua").
  for (const run of idx) {
    while (run.length && view.weak.has(run[0])) run.shift();
    while (run.length && view.weak.has(run[run.length - 1])) run.pop();
    if (run.length) runs.push(run.map((i) => view.raw[i]));
  }
  const words = runs.map((r) => r.join(' '));
  let out = '';
  for (const w of words) {
    const next = out ? `${out}, ${w}` : w;
    if (next.split(' ').length > max) break;
    out = next;
  }
  // A first run longer than `max` words is cut, not dropped.
  return out || (words[0] ?? '').split(' ').slice(0, max).join(' ');
}

const CONTACT =
  /(?:\b(?:s[đd]t|số điện thoại|so dien thoai|điện thoại|dien thoai|đt|dt|zalo|email|e-mail|mail|gmail)\s*[:.]?\s*)?(?:[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\+?\d[\d .-]{7,}\d)/giu;

/** The question without phone numbers, e-mail addresses and the words that announce them. */
export function withoutContacts(question: string): string {
  return question.replace(CONTACT, ' ');
}
