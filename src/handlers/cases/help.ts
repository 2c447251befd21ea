/** The officer's command list (/huongdan, /help for staff), trimmed to what the caller's role may do. */
import type { CommuneConfig } from '../../config/communes.js';
import type { Member } from '../../store/roles.js';
import { COUNTS_STAFF } from '../counts/common.js';
import { DELIVERY_ROLES } from '../../actions/dead-letter-notices.js';
import { CASE_ROLES, READ_ROLES, hasRole } from './access.js';
import { emergencyDeadlineText } from './format.js';

export function officerHelp(member: Member, commune: Pick<CommuneConfig, 'clocks'> | undefined): string {
  const lines = ['Lệnh dành cho cán bộ:'];
  if (hasRole(member, READ_ROLES)) {
    lines.push('• /vuviec — các vụ việc đang mở của xã', '• /xem MÃ — chi tiết một vụ việc (mỗi lần xem đều được ghi lại)');
  }
  if (hasRole(member, CASE_ROLES)) {
    lines.push(
      '• /nhan MÃ — tiếp nhận vụ việc',
      '• /ghichu MÃ nội dung — ghi chú vào diễn biến',
      '• /capnhat MÃ đánh giá — bắt đầu xác minh, đánh giá',
      '• /trinhduyet MÃ tóm tắt — trình Lãnh đạo UBND xã duyệt kế hoạch hỗ trợ',
      '• /capnhat MÃ hỗ trợ — bắt đầu hỗ trợ, can thiệp (sau khi kế hoạch được duyệt)',
      `• /khancap MÃ việc đã làm — ghi biện pháp khẩn cấp (dừng nhắc ${emergencyDeadlineText(commune)})`,
      '• /hoi MÃ câu hỏi — hỏi người báo (họ thấy tin từ "Cán bộ xã", không thấy tên bạn)',
      '• /chuyen MÃ cơ quan; hẹn 20/12 — chuyển cho cơ quan khác, được nhắc theo dõi đến khi đóng',
      '• /dong MÃ kết quả — đóng vụ việc',
      '• /molai MÃ lý do — mở lại vụ việc đã đóng',
    );
    if (member.role === 'chair') lines.push('• /duyet MÃ — duyệt kế hoạch hỗ trợ (dừng nhắc hạn 5 ngày làm việc)', '• /giao MÃ tên — giao vụ việc cho người khác xử lý');
  }
  if (hasRole(member, DELIVERY_ROLES)) lines.push('• /loigui — tin nhắn không gửi được');
  if (hasRole(member, COUNTS_STAFF)) {
    lines.push(
      '• /tinhhinh T10/2025 — thôn nào đã, chưa gửi số liệu tháng',
      '• /tonghop T10/2025 (hoặc 2025-H1, 2025) — tổng hợp số liệu tháng, 6 tháng, năm',
      '• /mokhoa TÊN_THÔN T10/2025 — mở khoá để trưởng thôn sửa số liệu',
    );
  }
  lines.push('Có thể gõ không dấu, không cần dấu "/" và không cần "TE-", ví dụ: xem vụ 7K3M9Q. Gõ "huỷ" để thôi một việc đang làm.');
  return lines.join('\n');
}
