// Types and rules every capability shares (layer 1): corpus passages and citations, document validity and the
// document list, the channel <-> chat core message contract, audio format ids.
export { AUDIO_FORMATS, type AudioFormat, CONVERSION_TARGETS, DEFAULT_STT_FORMATS } from './audio-formats';
export type {
  AnswerMode,
  AudioRef,
  Button,
  ButtonAction,
  Channel,
  FileRef,
  HandleOptions,
  Incoming,
  OutFile,
  Outgoing,
  Role,
} from './chat';
export { distinctCitations, formatCitation, locator } from './cite';
export type {
  Chunk,
  Citation,
  CitationLookup,
  DocKind,
  DocStatus,
  DocumentMeta,
  ScoredChunk,
  SearchResult,
} from './corpus';
export {
  currentReplacement,
  docLabel,
  type DocumentInfo,
  documentsOf,
  labelsOfDoc,
  refLabel,
  validityNow,
} from './documents';
export {
  asksForOldRule,
  rankByValidity,
  todayIso,
  type Validity,
  VALIDITY_POOL,
  validityAt,
  validityTag,
  viDate,
} from './validity';
export {
  askedSections,
  bareSectionQuestion,
  CARD_FIELDS,
  LIST_SECTIONS,
  looksLikeFollowUp,
  PROCEDURE_SECTIONS,
  SECTION,
  sectionText,
} from './procedure';
