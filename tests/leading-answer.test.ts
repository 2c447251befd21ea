/** The yes / no / unsure a typed answer opens with (src/text/vietnamese.ts leadingAnswer). */
import { describe, expect, it } from 'vitest';
import { leadingAnswer } from '../src/text/vietnamese.js';

describe('leadingAnswer', () => {
  it('reads the answer behind polite openings, with or without marks', () => {
    expect(leadingAnswer('Dạ có ạ, nó đang bị nhốt')).toBe('yes');
    expect(leadingAnswer('vâng')).toBe('yes');
    expect(leadingAnswer('da khong a')).toBe('no');
    expect(leadingAnswer('chưa')).toBe('no');
    expect(leadingAnswer('Ko'.normalize('NFD'))).toBe('no');
  });

  it('takes "không biết", "có lẽ", "chắc" for unsure, not for no or yes', () => {
    expect(leadingAnswer('không biết nữa')).toBe('unsure');
    expect(leadingAnswer('dạ em cũng không rõ')).toBe('unsure');
    expect(leadingAnswer('có lẽ vậy')).toBe('unsure');
    expect(leadingAnswer('chac la co')).toBe('unsure');
    expect(leadingAnswer('có, chắc chắn')).toBe('yes');
    // typed the way people type it, and after who says it in a longer sentence
    expect(leadingAnswer('k bik')).toBe('unsure');
    expect(leadingAnswer('ko bit')).toBe('unsure');
    expect(leadingAnswer('em ko biết, bé học cùng trường với con em')).toBe('unsure');
    expect(leadingAnswer('tôi cũng không rõ nhà nó ở đâu, chỉ biết học cùng lớp')).toBe('unsure');
    expect(leadingAnswer('em không')).toBe('no');
  });

  it('gives nothing for a sentence that opens with no answer', () => {
    expect(leadingAnswer('bố nó đang đánh')).toBeUndefined();
    expect(leadingAnswer('không ai ở nhà với nó cả')).toBeUndefined();
    expect(leadingAnswer('ko co ai trong nha')).toBeUndefined();
    expect(leadingAnswer('')).toBeUndefined();
  });
});
