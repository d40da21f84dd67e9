// Which procedure sections a question asks for (src/domain/procedure.ts askedSections).
import { describe, expect, it } from 'vitest';
import { askedSections } from '../../src/domain';

describe('askedSections()', () => {
  it('reads the fee from "tiền" only when money is what is asked, not in the name of a benefit', () => {
    expect(askedSections('làm hộ chiếu mất bao nhiêu tiền')).toEqual(['Lệ phí']);
    expect(askedSections('làm sổ đỏ tốn tiền không')).toEqual(['Lệ phí']);
    expect(askedSections('đổi bằng lái có mất tiền ko')).toEqual(['Lệ phí']);
    expect(askedSections('tiền tuất với tiền mai táng thì ubnd xã hay bhxh giải quyết')).not.toContain('Lệ phí');
    expect(askedSections('tiền trợ cấp thai sản nhận ở đâu')).toEqual(['Cơ quan thực hiện']);
  });

  it('reads "X hay Y (giải quyết / cấp)" and "do xã hay tỉnh" as asking which body', () => {
    expect(askedSections('tiền tuất với tiền mai táng thì ubnd xã hay bhxh giải quyết')).toEqual(['Cơ quan thực hiện']);
    expect(askedSections('gpxd nhà ở giờ ubnd xã cấp hay tỉnh cấp')).toEqual(['Cơ quan thực hiện']);
    expect(askedSections('chuyển mục đích sử dụng đất do xã hay tỉnh duyệt')).toEqual(['Cơ quan thực hiện']);
    expect(askedSections('việc này thuộc thẩm quyền của cấp nào')).toContain('Cơ quan thực hiện');
  });

  it('still finds the other sections', () => {
    expect(askedSections('đăng ký khai sinh mất bao lâu')).toEqual(['Thời hạn giải quyết']);
    expect(askedSections('cần giấy tờ gì')).toEqual(['Thành phần hồ sơ']);
  });
});
