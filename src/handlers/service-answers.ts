/**
 * Answers to short questions about the service (src/nlu/service-topics.ts), said outside a conversation
 * by the catch-all and in the middle of a report as an aside. To a child telling of their own harm they
 * are said to "em".
 */
import type { CommuneConfig } from '../config/communes.js';
import type { ServiceTopic } from '../nlu/service-topics.js';

/** `commune`: the writer's, when known (src/handlers/sender-commune.ts); it says where its office is. */
export function serviceAnswer(topic: ServiceTopic, hotline: string, toChild = false, commune?: CommuneConfig): string {
  const you = toChild ? 'em' : 'bạn';
  const youFirst = toChild ? 'Em' : 'Bạn';
  switch (topic) {
    case 'media':
      return `Được ạ. ${youFirst} gửi ảnh, video, ghi âm, tệp hoặc vị trí vào đây lúc nào cũng được, mình sẽ gửi kèm báo cáo cho cán bộ.`;
    case 'privacy':
      return (
        `Chỉ cán bộ xử lý vụ việc được xem thông tin của ${you}; gia đình trẻ và người khác không được biết ai đã báo. ` +
        `${youFirst} có thể báo ẩn danh, không cần để lại tên hay số điện thoại.`
      );
    case 'cost':
      return `Không mất phí gì cả. Báo ở đây và gọi ${hotline} (tổng đài bảo vệ trẻ em) đều miễn phí.`;
    case 'hours':
      return (
        'Báo lúc nào cũng được, kể cả ban đêm và ngày nghỉ. Việc khẩn cấp được báo ngay cho cán bộ xã, lãnh đạo xã và công an xã; ' +
        `việc khác cán bộ xem và liên hệ trong giờ làm việc. Nếu trẻ đang gặp nguy hiểm, gọi ngay 113 hoặc ${hotline}.`
      );
    case 'office':
      return `${officeAnswer(youFirst, commune)} Việc gấp thì không cần chờ: ${you} báo ngay tại đây, hoặc gọi 113 hay ${hotline}.`;
    case 'paperwork':
      return (
        `Giấy tờ, chế độ và trợ cấp cho trẻ do bộ phận một cửa của xã làm. ${officeAnswer(youFirst, commune, 'hỏi bộ phận một cửa')} ` +
        `Nếu việc này liên quan tới một trẻ đang gặp chuyện không ổn, ${you} cứ kể cho mình.`
      );
    case 'number':
      return (
        `Gọi ${hotline} (tổng đài bảo vệ trẻ em, miễn phí, 24/7); nếu trẻ đang gặp nguy hiểm, gọi 113 (công an) hoặc 115 (cấp cứu). ` +
        `${youFirst} cũng có thể báo ngay tại đây: kể luôn sự việc hoặc gửi /baocao.`
      );
    case 'feeling':
      return toChild
        ? `Em đừng sợ, em đã làm rất đúng khi nhắn cho xã. Chỉ cán bộ giúp em mới biết em đã báo. Nếu ngay lúc này em không an toàn, em gọi ${hotline} (miễn phí) hoặc 113 nhé.`
        : `Mình hiểu bạn đang lo. Bạn đã làm đúng khi lên tiếng; chỉ cán bộ xử lý vụ việc biết ai đã báo. Nếu trẻ đang gặp nguy hiểm, gọi ngay 113 hoặc ${hotline}.`;
    case 'unsure':
      return (
        `${youFirst} không cần chắc chắn mới báo: thấy lo cho một trẻ là đủ, cán bộ xã sẽ tìm hiểu, và báo nhầm cũng không sao. ` +
        `Chỉ cán bộ xử lý vụ việc biết ai đã báo; ${you} có thể báo ẩn danh. ${youFirst} cứ kể cho mình chuyện gì đã xảy ra nhé.`
      );
    case 'after':
      return (
        'Cán bộ bảo vệ trẻ em của xã nhận báo cáo, tìm hiểu và hỗ trợ trẻ; việc khẩn cấp phải có biện pháp trong 12 giờ. ' +
        `${youFirst} nhận một mã để hỏi tình trạng (/trangthai MÃ).`
      );
  }
}

/** A feeling told before anything else ("em sợ quá"): the person is invited to tell what is happening. */
export function feelingBeforeStory(hotline: string): string {
  return (
    'Mình ở đây để giúp bạn. Có chuyện gì, bạn cứ kể cho mình (có thể kể trong nhiều tin nhắn); chỉ cán bộ xử lý vụ việc biết ai đã báo. ' +
    `Nếu ngay lúc này có ai đang gặp nguy hiểm, gọi 113 hoặc ${hotline}.`
  );
}

/** Where to meet the officers: the commune's office and hours when the writer's commune is known. */
function officeAnswer(youFirst: string, commune: CommuneConfig | undefined, ask = 'xin gặp cán bộ phụ trách trẻ em'): string {
  if (!commune) return `${youFirst} có thể đến Uỷ ban nhân dân xã nơi trẻ sống, trong giờ hành chính, và ${ask}.`;
  const { address, phone } = commune.office;
  const { start, end } = commune.workingHours;
  const name = commune.name.charAt(0).toLowerCase() + commune.name.slice(1);
  return (
    `${youFirst} có thể đến Uỷ ban nhân dân ${name}${address ? ` (${address})` : ''} từ ${start} đến ${end}, thứ Hai đến thứ Sáu, ` +
    `và ${ask}${phone ? `, hoặc gọi ${phone}` : ''}.`
  );
}

/** To a wish to stay unnamed said before any story ("cho em giấu tên"): yes, and how to go on. */
export function anonymityAnswer(): string {
  return (
    'Được ạ, bạn có thể báo ẩn danh: không cần để lại tên hay số điện thoại, và gia đình trẻ hay người khác không được biết ai đã báo. ' +
    'Bạn cứ kể luôn sự việc ở đây, hoặc bấm "Báo cáo ẩn danh" để mình hỏi từng câu ngắn.'
  );
}
