// What officials read about their documents (the documents page, job logs, the bot): Vietnamese, full diacritics.
import type { LoadErrorCode } from '../ingest';

/** Why an upload was refused before it was read (its bytes, not its content). */
export type UploadRefusal =
  | 'too-large'
  | 'empty-file'
  | 'unknown-type'
  | 'legacy-office'
  | 'image'
  | 'not-text'
  | 'too-many';

const REFUSALS: Record<UploadRefusal, string> = {
  'too-large': 'Tệp quá lớn',
  'empty-file': 'Tệp rỗng (0 byte).',
  'unknown-type': 'Không nhận ra loại tệp: chỉ nhận PDF, Word (.docx), Markdown, TXT và HTML.',
  'legacy-office': 'Tệp Office đời cũ (.doc, .xls): hãy mở bằng Word và lưu thành .docx hoặc PDF rồi tải lên lại.',
  image: 'Ảnh chụp chưa được nhận trực tiếp: hãy gộp các ảnh thành một tệp PDF rồi tải lên.',
  'not-text': 'Tệp văn bản không đọc được: không phải UTF-8 hoặc là dữ liệu nhị phân. Hãy lưu lại dưới dạng UTF-8.',
  'too-many': 'Quá nhiều tệp trong một lần tải lên',
};

export function refusalText(r: UploadRefusal, limits: { maxMb: number; maxFiles: number }): string {
  if (r === 'too-large') return `${REFUSALS[r]} (tối đa ${limits.maxMb} MB mỗi lần tải lên).`;
  if (r === 'too-many') return `${REFUSALS[r]} (tối đa ${limits.maxFiles} tệp).`;
  return REFUSALS[r];
}

const LOAD_ERRORS: Record<LoadErrorCode, string> = {
  unsupported: 'Loại tệp không được hỗ trợ.',
  unreadable: 'Không đọc được tệp.',
  encrypted: 'Tệp PDF có mật khẩu (đã mã hoá): hãy gỡ mật khẩu rồi tải lên lại.',
  corrupt: 'Tệp bị hỏng hoặc không đúng định dạng.',
  empty: 'Tệp không có nội dung chữ.',
  'no-text-layer': 'PDF là bản quét (chỉ có ảnh) nhưng máy chủ chưa bật nhận dạng chữ (OCR).',
  'ocr-empty': 'Nhận dạng chữ (OCR) không tìm thấy chữ nào: trang trắng, ảnh chụp hoặc bản quét quá mờ.',
  'ocr-failed': 'Nhận dạng chữ (OCR) bị lỗi; hãy thử lại hoặc báo quản trị máy chủ.',
  'zip-bomb': 'Tệp Word giải nén ra quá lớn (nghi là tệp độc hại).',
  'not-text': 'Tệp văn bản không đọc được: không phải UTF-8 hoặc là dữ liệu nhị phân. Hãy lưu lại dưới dạng UTF-8.',
  frontmatter: 'Phần đầu tệp (frontmatter) không phải YAML nên tệp bị từ chối.',
};

export function loadErrorText(code: LoadErrorCode): string {
  return LOAD_ERRORS[code];
}

export const corpusMsg = {
  noText: 'Tệp không có đoạn nội dung nào để tra cứu.',
  buildFailed: 'Lập chỉ mục thất bại; chỉ mục cũ vẫn đang phục vụ. Chi tiết trong nhật ký máy chủ.',
  lastDocument: 'Không thể xoá văn bản cuối cùng: kho văn bản sẽ trống.',
  notFound: 'Không tìm thấy văn bản này (có thể đã bị xoá).',
  noFile: 'Hãy chọn ít nhất một tệp (trường "file").',
  interrupted: 'Máy chủ khởi động lại khi đang xử lý; các tệp đã nhận được xử lý lại.',
};

export const botDocMsg = {
  onlyOfficials:
    'Cảm ơn bạn đã gửi tệp. Chỉ cán bộ quản trị mới có thể thêm văn bản vào kho tra cứu; bạn hãy gõ câu hỏi để được giải đáp nhé.',
  received: (name: string) =>
    `📥 Đã nhận tệp "${name}". Đang kiểm tra và lập chỉ mục; tôi sẽ báo khi văn bản tra cứu được.`,
  queued: (name: string, ahead: number) =>
    `📥 Đã nhận tệp "${name}". Đang chờ ${ahead} việc lập chỉ mục trước; tôi sẽ báo khi văn bản tra cứu được.`,
  searchable: (name: string, chunks: number, ocrPages: number) =>
    `✅ Văn bản "${name}" đã tra cứu được (${chunks} đoạn${ocrPages ? `, ${ocrPages} trang quét đã nhận dạng chữ` : ''}).`,
  rejected: (name: string, why: string) => `❌ Không thêm được "${name}": ${why}`,
  failed: (name: string) =>
    `❌ Không thêm được "${name}": lập chỉ mục thất bại, kho tra cứu cũ vẫn hoạt động. Vui lòng thử lại sau.`,
  tooLargeForTelegram: (mb: number) =>
    `Tệp lớn hơn ${mb} MB: Telegram không cho bot tải tệp lớn như vậy. Hãy tải lên ở trang quản trị (mục Văn bản).`,
  downloadFailed: 'Không tải được tệp từ Telegram. Vui lòng gửi lại.',
  unavailable: 'Máy chủ này chưa bật chức năng thêm văn bản qua chat.',
};
