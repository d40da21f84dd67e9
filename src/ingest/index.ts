// Documents -> chunks (layer 3): loaders (PDF, DOCX, Markdown, HTML, text), metadata and sidecars, clean-up,
// structure-aware splitters. It knows nothing about the index.
export { chunkDocument } from './chunk';
export { LoadError, SUPPORTED_EXTENSIONS } from './loaders';
export { isSidecar, loadDocument, sidecarOf, STATUS_LABEL } from './metadata';
