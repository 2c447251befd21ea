/** The memos' bound (src/bounded-map.ts): full and a new key comes, it starts again; a key it holds is replaced in place. */
import { expect, it } from 'vitest';
import { BoundedMap } from '../src/bounded-map.js';

it('holds at most its bound: a new key on a full map empties it first', () => {
  const m = new BoundedMap<string, number>(3);
  for (const [i, k] of ['a', 'b', 'c'].entries()) m.set(k, i);
  m.set('d', 3);
  expect([...m]).toEqual([['d', 3]]);
});

it('replacing a key it holds keeps the others, even when full', () => {
  const m = new BoundedMap<string, number>(2);
  m.set('a', 1).set('b', 2).set('a', 3);
  expect([...m]).toEqual([['a', 3], ['b', 2]]);
});

it('getOr computes a value once and keeps it', () => {
  const m = new BoundedMap<string, string>(8);
  let made = 0;
  const make = (k: string) => `${k}${++made}`;
  expect(m.getOr('x', make)).toBe('x1');
  expect(m.getOr('x', make)).toBe('x1');
  expect(made).toBe(1);
});
