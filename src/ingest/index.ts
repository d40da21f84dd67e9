// Documents -> chunks (layer 3): loaders (PDF with OCR of scanned pages, DOCX, Markdown, HTML, text), metadata and
// sidecars, clean-up, structure-aware splitters. It knows nothing about the index.
export { chunkDocument } from './chunk';
export { LoadError, type LoadErrorCode, type LoadOptions, SUPPORTED_EXTENSIONS } from './loaders';
export {
  isSidecar,
  loadDocument,
  META_KEYS,
  parseDate,
  parseStatus,
  SIDECAR_SUFFIXES,
  sidecarOf,
  STATUS_LABEL,
} from './metadata';
export { decodeText } from './text-check';
export type { DocMeta } from './types';
