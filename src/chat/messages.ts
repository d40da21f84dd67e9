// Every Vietnamese string the chat core shows (NFC, full diacritics).

export const DISCLAIMER =
  'Dữ liệu mẫu tổng hợp từ nguồn công khai, cập nhật đến 11/2026; hãy đối chiếu văn bản chính thức trước khi sử dụng.';

export const msg = {
  start: [
    'Xin chào! Tôi là Trợ lý Hành chính số.',
    '',
    'Tôi có thể giúp bạn:',
    '• Tra cứu thủ tục hành chính: cần giấy tờ gì, nộp ở đâu, mất bao lâu, lệ phí bao nhiêu.',
    '• Giải đáp về phân cấp, phân quyền của chính quyền địa phương hai cấp.',
    '• Điểm danh lớp học: gửi "diemdanh <mã> Họ và tên".',
    '',
    'Cứ nhắn câu hỏi, ví dụ: "làm giấy khai sinh cho con cần những gì?". Gõ /thutuc để xem danh mục thủ tục, /help để xem hướng dẫn.',
    '',
    `⚠️ ${DISCLAIMER}`,
  ].join('\n'),
  help(trainer: boolean): string {
    const lines = [
      'Hướng dẫn sử dụng:',
      '• Nhắn câu hỏi trực tiếp (trong nhóm: /hoi <câu hỏi>, nhắc tên bot hoặc trả lời tin nhắn của bot).',
      '• /thutuc — tra cứu thủ tục theo lĩnh vực.',
      '• /nguon — xem nguồn đầy đủ của câu trả lời gần nhất.',
      '• /nguon tatca — danh sách văn bản trong dữ liệu, tình trạng hiệu lực và ngày hiệu lực; /nguon <từ khóa> để lọc, ví dụ: /nguon đất đai.',
      '• Hỏi tiếp ngay sau câu trả lời, ví dụ: "còn lệ phí thì sao?".',
      '• Điểm danh: diemdanh <mã> Họ và tên (trong nhóm có buổi đang mở: "có mặt").',
      '• Bấm 👍 hoặc 👎 dưới câu trả lời để góp ý.',
      '• /id — xem mã người dùng của bạn (gửi cho quản trị viên để được thêm làm giảng viên).',
    ];
    if (trainer) {
      lines.push(
        '',
        'Lệnh cho giảng viên:',
        '• /mo <tên lớp> [số phút] [sĩ số N] — mở điểm danh.',
        '• /dong [mã] — đóng điểm danh.',
        '• /ds [mã] — xem danh sách.',
        '• /xuat [mã | tên lớp | từ ngày đến ngày] — xuất tệp CSV và Excel.',
        '• /vang [mã] — ai vắng buổi đang mở hoặc buổi gần nhất.',
        '• /them Họ tên — thêm người đến muộn vào buổi.',
        '• /lop [tên lớp] — danh sách học viên; /lop <tên lớp> them Họ tên, SĐT — thêm học viên.',
        '• /dangnhap — nhận mã đăng nhập trang web (bảng điều khiển, tải danh sách lớp).',
      );
    }
    lines.push('', DISCLAIMER);
    return lines.join('\n');
  },
  askUsage: 'Hãy viết câu hỏi sau lệnh, ví dụ: /hoi đăng ký tạm trú cần giấy tờ gì?',
  unknownCommand: 'Tôi chưa hiểu lệnh này. Gõ /help để xem các lệnh, hoặc nhắn câu hỏi trực tiếp.',
  emptyHint: 'Bạn hãy nhắn câu hỏi bằng chữ, ví dụ: "đăng ký khai sinh cần gì?".',
  stickerHint: 'Cảm ơn bạn! Tôi chỉ đọc được tin nhắn chữ. Hãy nhắn câu hỏi, ví dụ: "đăng ký tạm trú cần gì?".',
  photoHint:
    'Tôi chưa đọc được hình ảnh hay tệp đính kèm. Bạn hãy gõ câu hỏi bằng chữ, ví dụ: "cấp lại thẻ căn cước ở đâu?".',
  truncated(max: number): string {
    return `(Câu hỏi dài hơn ${max} ký tự nên tôi chỉ xét phần đầu. Bạn nên hỏi ngắn gọn, mỗi lần một ý.)`;
  },
  rateLimited(seconds: number): string {
    return `Bạn đang gửi hơi nhanh. Vui lòng đợi khoảng ${seconds} giây rồi hỏi tiếp nhé.`;
  },
  error: 'Xin lỗi, đã có lỗi khi xử lý yêu cầu. Vui lòng thử lại sau.',
  noSources:
    'Chưa có câu trả lời nào để xem nguồn. Hãy đặt câu hỏi trước, rồi gõ /nguon. Dưới đây là các văn bản trong dữ liệu.',
  noDocuments: 'Dữ liệu chưa có văn bản pháp luật nào.',
  noDocumentMatch(filter: string): string {
    return `Không có văn bản nào khớp với "${filter}". Gõ /nguon tatca để xem toàn bộ danh sách.`;
  },
  documentsHeader(n: number): string {
    return `Văn bản pháp luật trong dữ liệu (${n}), theo tình trạng hiệu lực hôm nay:`;
  },
  documentsMatching(filter: string, n: number): string {
    return `Văn bản khớp với "${filter}" (${n}):`;
  },
  documentsFooter(procedures: number, news: number): string {
    return `Ngoài ra có ${procedures} thủ tục hành chính (gõ /thutuc) và ${news} tin bài. Văn bản hết hiệu lực chỉ dùng để tra cứu quy định cũ.`;
  },
  declinedNoSources: 'Câu trả lời gần nhất không dựa trên văn bản nào nên không có nguồn.',
  sourcesHeader: 'Nguồn của câu trả lời gần nhất:',
  feedbackThanks: 'Cảm ơn bạn đã góp ý!',
  feedbackDone(vote: 'up' | 'down'): string {
    return `Đã ghi nhận: ${vote === 'up' ? '👍' : '👎'}`;
  },
  voteExpired: 'Câu trả lời này đã cũ nên không ghi nhận đánh giá được. Cảm ơn bạn!',
  tapsLimited: 'Bạn bấm hơi nhanh. Vui lòng đợi một lát rồi thử lại.',
  expiredButton: 'Nút này đã hết hạn. Gõ /thutuc để xem lại danh mục.',
  catalogEmpty: 'Chưa có thủ tục nào trong dữ liệu.',
  catalogHeader: 'Chọn lĩnh vực để xem các thủ tục:',
  catalogField(field: string, n: number): string {
    return `Lĩnh vực ${field} — ${n} thủ tục. Chọn thủ tục để xem tóm tắt:`;
  },
  backToFields: '« Các lĩnh vực',
  cardAsk: 'Hỏi thêm về thủ tục này bằng cách nhắn câu hỏi, ví dụ: "lệ phí bao nhiêu?".',
};
