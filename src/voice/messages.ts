// Every Vietnamese string about voice notes (NFC, full diacritics).
import type { VoiceFailure } from './types';

const TYPE_INSTEAD = 'Bạn hãy gõ câu hỏi bằng chữ, ví dụ: "đăng ký khai sinh cần giấy tờ gì?"';

export const voiceMsg = {
  /** STT_MODEL is not set: the procedure menu follows this message. */
  unavailable: `Xin lỗi, hiện tôi chưa nghe được tin nhắn thoại. ${TYPE_INSTEAD} Bạn cũng có thể chọn lĩnh vực thủ tục ở danh mục dưới đây.`,
  /** First line of the reply to a transcribed voice note: what was understood. */
  heard(transcript: string, question: boolean): string {
    const shown = [...transcript].length > 300 ? `${[...transcript].slice(0, 300).join('')}…` : transcript;
    return `🎤 ${question ? 'Bạn hỏi' : 'Bạn nói'}: "${shown}"\nNếu tôi nghe chưa đúng, bạn hãy gõ lại bằng chữ nhé.`;
  },
  failed(reason: VoiceFailure, limits: { seconds: number; mb: number }): string {
    switch (reason) {
      case 'too-long':
        return `Tin nhắn thoại dài quá (tôi chỉ nghe được tối đa ${limits.seconds} giây). Bạn hãy nói ngắn gọn, mỗi lần một ý, hoặc gõ câu hỏi bằng chữ.`;
      case 'too-large':
        return `Tệp âm thanh lớn quá (tối đa ${limits.mb} MB). Bạn hãy gửi tin nhắn thoại ngắn hơn, hoặc gõ câu hỏi bằng chữ.`;
      case 'unreadable':
        return `Tôi không mở được tệp âm thanh này. Bạn hãy ghi âm lại bằng nút micro của ứng dụng, hoặc gõ câu hỏi bằng chữ.`;
      case 'silent':
        return `Tôi không nghe thấy lời nói nào trong tin nhắn thoại. Bạn hãy nói to, rõ và gần điện thoại hơn. ${TYPE_INSTEAD}`;
      case 'garbage':
        return `Tôi nghe chưa rõ bạn nói gì. Bạn hãy nói chậm và rõ hơn. ${TYPE_INSTEAD}`;
      case 'download-failed':
      case 'stt-failed':
        return `Xin lỗi, hiện tôi chưa nghe được tin nhắn thoại do dịch vụ nhận dạng giọng nói đang gặp sự cố. ${TYPE_INSTEAD}`;
    }
  },
};
