/** Fixed texts users see. Vietnamese with full diacritics. */

export const DECLINE_TEXT =
  'Xin lỗi, tôi chưa tìm thấy quy định hay thủ tục phù hợp với câu hỏi này trong dữ liệu của mình, nên không thể trả lời chính xác.\n' +
  'Tôi hỗ trợ tra cứu thủ tục hành chính (giấy tờ, nơi nộp, thời hạn, lệ phí, nộp trực tuyến) và quy định phân cấp, phân quyền của chính quyền địa phương 2 cấp. ' +
  'Bạn có thể hỏi, ví dụ: "đăng ký tạm trú cần gì?" hoặc "ai cấp giấy phép xây dựng nhà ở?".\n' +
  'Với việc khác, vui lòng liên hệ Bộ phận Một cửa của UBND xã/phường hoặc Cổng Dịch vụ công quốc gia (dichvucong.gov.vn).';

export const DECLINE_TEXT_EN =
  'Sorry, I could not find a matching procedure or rule in my documents, so I cannot answer this reliably.\n' +
  'I help with Vietnamese administrative procedures (papers, where to apply, processing time, fees, online filing) and the division of powers in local government. ' +
  'For anything else, please contact the one-stop desk (Bộ phận Một cửa) of your commune or the National Public Service Portal (dichvucong.gov.vn).';

export const ENGLISH_LEAD = 'The official sources are in Vietnamese; here is the relevant passage:';

export const TRUNCATED_NOTE = '(Câu trả lời đã được rút gọn; gõ /nguon để xem nguồn đầy đủ.)';
