// Vietnamese text primitives (layer 0, imports nothing from src): NFC, diacritic folding, syllables and terms,
// stop words, synonyms and the everyday -> legal lexicon, question intent and subject, message splitting.
export { typeFromNumber, typeFromTitle } from './doc-type';
export { asksNumber, isEnglish, isYesNo } from './intent';
export {
  cleanText,
  collapseWhitespace,
  cutAtWord,
  fold,
  lower,
  matchKey,
  nfc,
  slug,
  stripDiacritics,
  tokenize,
} from './normalize';
export { splitMessage } from './split';
export { QUESTION_WORDS, STOPWORDS } from './stopwords';
export { isVietnameseSyllable } from './syllable';
export {
  expandAbbreviations,
  loadSynonyms,
  presentGroups,
  type SynonymDictionary,
  weightedExpansions,
} from './synonyms';
export {
  canonicalSyllable,
  contentSyllables,
  documentTerms,
  foldedTokens,
  queryTerms,
  type WeightedTerm,
} from './terms';
export { subjectPhrase, topicView } from './topic';
