// Metadata edits from the documents page or the API, written to the document's `<file>.meta.yaml` sidecar: the
// file ingest already reads for every format, overriding a Markdown frontmatter. Other keys of the sidecar stay.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import yaml from 'js-yaml';
import { type DocMeta, META_KEYS, parseDate, parseStatus, STATUS_LABEL } from '../ingest';

/** Editable fields (API names) -> the document metadata they set. */
export const EDITABLE = [
  'title',
  'docNumber',
  'docType',
  'status',
  'effectiveFrom',
  'expiredFrom',
  'replacedBy',
] as const;
export type EditableField = (typeof EDITABLE)[number];
/** A field's new value; null (or an empty string in a form) removes it. */
export type MetadataEdit = Partial<Record<EditableField, string | null>>;

const LABELS: Record<EditableField, string> = {
  title: 'Tên văn bản',
  docNumber: 'Số hiệu',
  docType: 'Loại văn bản',
  status: 'Tình trạng',
  effectiveFrom: 'Hiệu lực từ',
  expiredFrom: 'Hết hiệu lực từ',
  replacedBy: 'Được thay thế bởi',
};
const MAX_CHARS = 300;

/** Checks a request body; the edit with values normalised as the sidecar stores them, or Vietnamese errors. */
export function validateEdit(body: unknown): { edit: MetadataEdit } | { errors: string[] } {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return { errors: ['Dữ liệu phải là một đối tượng JSON.'] };
  const errors: string[] = [];
  const edit: MetadataEdit = {};
  for (const [k, raw] of Object.entries(body as Record<string, unknown>)) {
    if (k === '_csrf') continue;
    if (!(EDITABLE as readonly string[]).includes(k)) {
      errors.push(`Trường không sửa được: "${k.slice(0, 40)}" (được sửa: ${EDITABLE.join(', ')}).`);
      continue;
    }
    const field = k as EditableField;
    if (raw !== null && typeof raw !== 'string') {
      errors.push(`${LABELS[field]}: phải là chữ.`);
      continue;
    }
    const v = raw?.normalize('NFC').replace(/\s+/g, ' ').trim() ?? '';
    if (!v) {
      edit[field] = null;
      continue;
    }
    if ([...v].length > MAX_CHARS) errors.push(`${LABELS[field]}: dài quá ${MAX_CHARS} ký tự.`);
    else if (field === 'status') {
      const s = parseStatus(v);
      if (s) edit.status = STATUS_LABEL[s];
      else
        errors.push(
          `${LABELS[field]}: "${v.slice(0, 40)}" không hợp lệ (chọn: ${Object.values(STATUS_LABEL).join('; ')}).`,
        );
    } else if (field === 'effectiveFrom' || field === 'expiredFrom') {
      const d = parseDate(v);
      if (d) edit[field] = d;
      else errors.push(`${LABELS[field]}: "${v.slice(0, 40)}" không phải ngày (dạng dd/mm/yyyy).`);
    } else edit[field] = v;
  }
  if (!errors.length && !Object.keys(edit).length) errors.push('Không có trường nào để sửa.');
  return errors.length ? { errors } : { edit };
}

/** The sidecar's mapping after the edit: the field's corpus key set (or removed), its aliases removed. */
export function editedSidecar(existing: Record<string, unknown>, edit: MetadataEdit): Record<string, unknown> {
  const out = { ...existing };
  for (const [field, value] of Object.entries(edit) as [EditableField, string | null][]) {
    const keys = META_KEYS[field as keyof DocMeta];
    for (const k of keys) delete out[k];
    if (value !== null) out[keys[0]] = value;
  }
  return out;
}

/** Writes the edit into `sidecarPath` (created when missing; an unreadable one is replaced). */
export function writeSidecarEdit(sidecarPath: string, edit: MetadataEdit, now: Date = new Date()): void {
  let existing: Record<string, unknown> = {};
  if (existsSync(sidecarPath)) {
    try {
      const data = yaml.load(readFileSync(sidecarPath, 'utf8').replace(/^\uFEFF/, ''), { schema: yaml.CORE_SCHEMA });
      if (data && typeof data === 'object' && !Array.isArray(data)) existing = data as Record<string, unknown>;
    } catch {
      // A sidecar that does not parse was ignored by ingest anyway; the edit replaces it.
    }
  }
  const body = yaml.dump(editedSidecar(existing, edit), { schema: yaml.CORE_SCHEMA, lineWidth: 200, quotingType: '"' });
  writeFileSync(
    sidecarPath,
    `# Document metadata (README "Document metadata and validity"); last edited ${now.toISOString()} on /admin/documents\n${body}`,
  );
}
