// The corpus kept current by officials (above search): uploads, metadata edits and deletions queued as jobs, each
// built in a child process and swapped into the serving index; the documents page's rows and messages.
export { stopBuilds } from './build-runner';
export { type DocumentRow, VALIDITY_LABEL } from './documents';
export type { Job, JobFile, JobQueue } from './jobs';
export { CorpusManager, type CorpusManagerDeps, type Submitted, UPLOAD_FOLDERS, type UploadFile } from './manager';
export { botDocMsg, corpusMsg, refusalText } from './messages';
export { EDITABLE, type EditableField } from './metadata-edit';
