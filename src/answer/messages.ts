/** Fixed texts users see. Vietnamese with full diacritics. */

const CONTACT =
  'Vui lòng liên hệ Bộ phận Một cửa của UBND xã/phường hoặc Cổng Dịch vụ công quốc gia (dichvucong.gov.vn).';

export const DECLINE_TEXT =
  'Xin lỗi, tôi chưa tìm thấy quy định hay thủ tục phù hợp với câu hỏi này trong dữ liệu của mình, nên không thể trả lời chính xác.\n' +
  'Tôi hỗ trợ tra cứu thủ tục hành chính (giấy tờ, nơi nộp, thời hạn, lệ phí, nộp trực tuyến) và quy định phân cấp, phân quyền của chính quyền địa phương 2 cấp. ' +
  'Bạn có thể hỏi, ví dụ: "đăng ký tạm trú cần gì?" hoặc "ai cấp giấy phép xây dựng nhà ở?".\n' +
  `Với việc khác, ${CONTACT.charAt(0).toLowerCase()}${CONTACT.slice(1)}`;

export const DECLINE_TEXT_EN =
  'Sorry, I could not find a matching procedure or rule in my documents, so I cannot answer this reliably.\n' +
  'I help with Vietnamese administrative procedures (papers, where to apply, processing time, fees, online filing) and the division of powers in local government. ' +
  'For anything else, please contact the one-stop desk (Bộ phận Một cửa) of your commune or the National Public Service Portal (dichvucong.gov.vn).';

/** The question names a subject the corpus does not cover ("hộ chiếu"): say what was understood, never answer with another procedure. */
export function unknownTopicText(understood: string, hasSuggestions: boolean): string {
  return [
    `Tôi hiểu bạn hỏi về «${understood}», nhưng nội dung này chưa có trong dữ liệu của tôi nên tôi không thể trả lời chính xác.`,
    CONTACT,
    hasSuggestions ? 'Các thủ tục gần nhất mà tôi có (chỉ để tham khảo, có thể không phải điều bạn hỏi):' : '',
  ]
    .filter(Boolean)
    .join('\n');
}

export function unknownTopicTextEn(understood: string): string {
  return `I understood you are asking about "${understood}", but my documents do not cover it, so I cannot answer reliably.\nPlease contact the one-stop desk (Bộ phận Một cửa) of your commune or the National Public Service Portal (dichvucong.gov.vn).`;
}

/** "cần giấy tờ gì?" with nothing said before: ask which procedure. */
export function whichProcedureText(section: string | undefined, hasChoices: boolean): string {
  const what = section ? `${section.toLowerCase()} của thủ tục nào` : 'thủ tục hay quy định nào';
  return [
    `Bạn muốn hỏi về ${what}? Hãy nêu tên thủ tục, ví dụ: "đăng ký khai sinh cần giấy tờ gì?".`,
    hasChoices ? 'Hoặc chọn một thủ tục dưới đây:' : '',
  ]
    .filter(Boolean)
    .join('\n');
}

export const WHICH_PROCEDURE_EN =
  'Which procedure do you mean? Please name it, for example: "what documents do I need to register a birth?".';

/** "Điều 300 Luật Đất đai": the document is here but has no such article. */
export function missingArticleText(title: string, article: string, count: number): string {
  return `Văn bản «${title}» trong dữ liệu của tôi không có ${article}${count ? ` (văn bản có ${count} điều)` : ''}. Bạn hãy kiểm tra lại số điều, hoặc hỏi theo nội dung cần tra cứu.`;
}

export const SMALL_TALK = {
  greeting:
    'Xin chào! Tôi là Trợ lý Hành chính số. Bạn có thể hỏi tôi về thủ tục hành chính, ví dụ:\n• "Đăng ký khai sinh cần giấy tờ gì?"\n• "Đăng ký tạm trú mất bao lâu?"\n• "Ai cấp giấy phép xây dựng nhà ở sau 1/7/2025?"\nGõ /thutuc để xem danh mục thủ tục.',
  thanks: 'Rất vui được giúp bạn! Nếu cần, bạn cứ hỏi tiếp, ví dụ: "lệ phí bao nhiêu?" hoặc "nộp ở đâu?".',
  bye: 'Chào bạn! Khi cần tra cứu thủ tục, bạn cứ nhắn cho tôi nhé.',
};

export const SMALL_TALK_EN = {
  greeting:
    'Hello! I am the Digital Administrative Assistant. Ask me about Vietnamese administrative procedures, for example: "what documents do I need to register a birth?"',
  thanks: 'You are welcome! Ask me anything else about administrative procedures.',
  bye: 'Goodbye! Come back any time you need to look up a procedure.',
};

export const ENGLISH_LEAD = 'The official sources are in Vietnamese; here is the relevant passage:';

export const TRUNCATED_NOTE = '(Câu trả lời đã được rút gọn; gõ /nguon để xem nguồn đầy đủ.)';
