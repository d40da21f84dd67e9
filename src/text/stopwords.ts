import { fold } from './normalize';

/**
 * Folded Vietnamese function words that carry no topic. Question words that decide what is asked
 * (bao lâu, bao nhiêu, ở đâu, ai, gì, mấy) are deliberately NOT here: they select the answer section.
 */
export const STOPWORDS = new Set(
  `
  a à ạ ak ah ơi oi nhe nhé nha ha hả vay vậy day đấy thi thì la là ma mà va và voi với cua của cho
  nhung những cac các mot một nay này kia do đó ay ấy nao nào
  da đã se sẽ rat rất nua nữa roi rồi
  toi tôi minh mình em anh co có khong không ko k dc duoc được bi bị
  o ở thi thì tai tại trong ngoai ngoài tren trên duoi dưới ve về theo den đến
  hay hoac hoặc neu nếu khi de để nen nên boi bởi
  giup giúp gium giùm voi ạ
  what how where who which when is are was my your you for of with does need get after about this that it
  be from or and there any should will would please i s
  `
    .split(/\s+/)
    .filter(Boolean)
    .map(fold),
);

/**
 * Words that carry the question's form, not its topic ("gì", "bao nhiêu", "muốn", "bây giờ"): kept for ranking
 * (they pick the answer section) but ignored when judging whether the corpus covers the question.
 */
export const QUESTION_WORDS = new Set(
  'gi nao dau ai sao bao nhieu lau may nhu muon can lam biet gio bay hom nay xong roi phai cach minh oi vay'.split(' '),
);
