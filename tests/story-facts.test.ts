/**
 * What a story says of the child and the time (src/nlu/story-facts.ts): read where the wording is plain,
 * left for the question where it is not. These sentences were written for this test.
 */
import { describe, expect, it } from 'vitest';
import { daysBefore, readStoryFacts } from '../src/nlu/story-facts.js';

describe('readStoryFacts', () => {
  it('reads the age in digits, shorthand or words, and months for a baby', () => {
    expect(readStoryFacts('em bé nhà đối diện mới 6 tuổi mà bị nhốt ngoài sân').age).toBe('6 tuổi');
    expect(readStoryFacts('thg cu 7t bi danh').age).toBe('7 tuổi');
    expect(readStoryFacts('chau be chin tuoi bi bo doi').age).toBe('9 tuổi');
    expect(readStoryFacts('đứa nhỏ mười bốn tuổi bị bắt đi làm').age).toBe('14 tuổi');
    expect(readStoryFacts('em bé khoảng 2 tháng tuổi bị bỏ ở trạm xá').age).toBe('2 tháng tuổi');
    expect(readStoryFacts('đứa nhỏ khoảng 1 tuổi rưỡi bị bỏ trước cửa nhà').age).toBe('1 tuổi rưỡi');
  });

  it('leaves the age out when the story gives several, a range, or only grown-ups', () => {
    expect(readStoryFacts('hai chị em 6 tuổi và 9 tuổi ở nhà một mình').age).toBeUndefined();
    expect(readStoryFacts('mấy đứa tầm 12-13 tuổi trốn học').age).toBeUndefined();
    expect(readStoryFacts('ông hàng xóm 65 tuổi hay gọi cháu vào nhà').age).toBeUndefined();
    expect(readStoryFacts('ông hàng xóm 65 tuổi hay gọi cháu 8 tuổi vào nhà').age).toBe('8 tuổi');
  });

  it('reads "mấy hôm nay" as the last few days, with no one date, not as today', () => {
    expect(readStoryFacts('may hom nay ba om nam mot cho, 2 dua nho khong ai cho an').when).toBe('Mấy hôm nay');
    expect(daysBefore('Mấy hôm nay')).toBeUndefined();
    expect(readStoryFacts('hôm nay nó lại bị đánh').when).toBe('Hôm nay');
  });

  it('reads the child\'s name said plainly after a child word, never the name of the one who harmed', () => {
    expect(readStoryFacts('con tôi tên Minh bị bạn đánh ở trường').name).toBe('Minh');
    expect(readStoryFacts('bé tên là Lò Thị Hoa, 8 tuổi, bị bố đánh').name).toBe('Lò Thị Hoa');
    expect(readStoryFacts('Cháu bé tên Mai bị bỏ đói'.normalize('NFD')).name).toBe('Mai');
    expect(readStoryFacts('chau ten Su bi danh').name).toBe('Su');
    expect(readStoryFacts('thằng đó tên Tuấn hay sàm sỡ cháu').name).toBeUndefined();
    expect(readStoryFacts('con trai nhà bà Lan tên Tuấn đánh cháu').name).toBeUndefined();
    expect(readStoryFacts('em tên Lan, em thấy cháu bé nhà bên bị đánh').name).toBeUndefined(); // the reporter
    expect(readStoryFacts('cháu tên là học sinh lớp 3').name).toBeUndefined();
    expect(readStoryFacts('bé tên Hoa và bé tên Mai bị nhốt').name).toBeUndefined(); // two children
    // Called by a word only a child is called by, the name written with capitals: "con bé Lan", "cu Tèo".
    expect(readStoryFacts('con bé Lan nhà bên bị bỏ đói').name).toBe('Lan');
    expect(readStoryFacts('cu Tèo nhà bên bị đánh'.normalize('NFD')).name).toBe('Tèo');
    expect(readStoryFacts('Bé bị bố đánh').name).toBeUndefined();
    expect(readStoryFacts('thằng Tuấn hàng xóm hay đánh bé').name).toBeUndefined(); // "thằng" may be the man
    expect(readStoryFacts('bé Na với bé Mai bị đánh').name).toBeUndefined();
  });

  it('reads the sex from words for a boy or a girl, with or without marks, in NFD too', () => {
    expect(readStoryFacts('bé gái bị bỏ ở chợ').sex).toBe('nu');
    expect(readStoryFacts('chau trai nha ben bi dua di').sex).toBe('nam');
    expect(readStoryFacts('Thằng Bin bị bố đánh'.normalize('NFD')).sex).toBe('nam');
    expect(readStoryFacts('con gái tôi bị người lạ nhắn tin dọa').sex).toBe('nu');
  });

  it('leaves the sex out when both are named, when it is the one who harmed, or when the word is ambiguous', () => {
    expect(readStoryFacts('bé trai và bé gái nhà bên bị bỏ đói').sex).toBeUndefined();
    expect(readStoryFacts('con trai nhà ông Tư đánh cháu hàng xóm').sex).toBeUndefined();
    // Folded, "con be" is also "còn bé" (still small): without marks it names no girl.
    expect(readStoryFacts('chau con be lam ma phai di lam thue').sex).toBeUndefined();
    expect(readStoryFacts('cháu còn bé lắm mà phải đi làm thuê').sex).toBeUndefined();
  });

  it('reads one time told, not a harm that goes on, nor two times', () => {
    expect(readStoryFacts('dem qua nghe tieng tre khoc thet ben nha hang xom').when).toBe('Đêm qua');
    expect(readStoryFacts('sáng nay thấy cháu bị trói ở gốc cây').when).toBe('Sáng nay');
    expect(readStoryFacts('Hồi chiều cái Nhung bị mẹ nó đánh bằng roi mây').when).toBe('Chiều nay');
    expect(readStoryFacts('ngày nào cũng bị đánh, hôm qua bị đánh chảy máu').when).toBeUndefined();
    expect(readStoryFacts('hôm qua nó kể là tuần trước bị đánh').when).toBeUndefined();
    expect(readStoryFacts('thằng bé bị nhốt ngoài cửa từ hôm qua tới giờ').when).toBe('Từ hôm qua');
    expect(readStoryFacts('e oi dua be o nha 1 minh tu sang toi gio').when).toBe('Từ sáng nay');
    expect(readStoryFacts('cháu phải làm từ sáng tới tối ở lò gạch').when).toBeUndefined();
    // A past time and the present ("năm ngoái …, giờ lại …") are two times.
    expect(readStoryFacts('năm ngoái nó bị ông ấy sàm sỡ, giờ lại thấy ông ấy gọi nó').when).toBeUndefined();
    expect(readStoryFacts('từ hôm qua tới bây giờ vẫn chưa về').when).toBe('Từ hôm qua');
  });

  it('tells how many days before the report a time means, for the record to carry its date', () => {
    expect(daysBefore('Đang xảy ra')).toBe(0);
    expect(daysBefore('Hôm nay')).toBe(0);
    expect(daysBefore('tu sang toi gio')).toBe(0);
    expect(daysBefore('tối qua khoảng 9 giờ')).toBe(1);
    expect(daysBefore('Hôm kia')).toBe(2);
    expect(daysBefore('Mấy ngày trước')).toBeUndefined();
    expect(daysBefore('tuần trước')).toBeUndefined();
  });
});
