/**
 * Message → sparse feature vector: word unigrams and bigrams, character 2–5-grams inside each padded
 * word (typos and keyboard leftovers still share most of them), word families (concepts.ts), the
 * severity cues and concern marks that fired (cues.ts, marks.ts) and a length bucket. Features are hashed into a fixed number of
 * buckets, each kind weighted, and the vector is scaled to unit length.
 */
import { conceptsIn } from './concepts.js';
import type { Cue } from './cues.js';
import type { Mark } from './marks.js';

export interface SparseVector {
  index: Int32Array;
  value: Float32Array;
}

const FNV_OFFSET = 0x811c9dc5;

/** FNV-1a, 32 bits, continued from `h`: the same feature lands in the same bucket on every machine. */
function fnv(h: number, s: string): number {
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

// Words and word pairs count most (a Vietnamese word is often two syllables: "bắt nạt", "xâm hại");
// character n-grams are many per word, so each counts little; families count as one word (at double
// they drowned the words), cues and marks double (chosen by cross-validation, docs/classifier.md).
const WEIGHT = { word: 1.5, bigram: 1.5, char: 0.35, concept: 1, cue: 2, mark: 2, length: 0.5 } as const;
const CHAR_SEED = fnv(FNV_OFFSET, 'c:');

/**
 * `settled`: the message says the child is back, found or safe (cues.ts); a cue that such news ends is
 * then its own feature, so thanks for a lost child found do not teach the model that "đi lạc" is not a concern.
 */
export interface Signals {
  cues: readonly Cue[];
  marks: readonly Mark[];
  settled: boolean;
  /** A question about children in general or about what to do if (questions.ts). */
  general: boolean;
}

export function vectorise(tokens: readonly string[], normalised: string, signals: Signals, dimensions: number): SparseVector {
  const { cues, marks, settled, general } = signals;
  const buckets = new Map<number, number>();
  const add = (h: number, w: number): void => {
    const b = h % dimensions;
    if ((buckets.get(b) ?? 0) < w) buckets.set(b, w);
  };
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as string;
    add(fnv(FNV_OFFSET, `w:${t}`), WEIGHT.word);
    if (i + 1 < tokens.length) add(fnv(FNV_OFFSET, `b:${t}_${tokens[i + 1]}`), WEIGHT.bigram);
    // The n-grams of `<word>` hashed as they grow, without building the strings.
    const padded = `<${t}>`;
    for (let j = 0; j + 2 <= padded.length; j++) {
      let h = CHAR_SEED;
      for (let n = 0; n < 5 && j + n < padded.length; n++) {
        h = Math.imul(h ^ padded.charCodeAt(j + n), 0x01000193);
        if (n >= 1) add(h >>> 0, WEIGHT.char);
      }
    }
  }
  for (const c of conceptsIn(normalised)) add(fnv(FNV_OFFSET, `k:${c}`), WEIGHT.concept);
  for (const c of cues) add(fnv(FNV_OFFSET, settled && c.settles ? `q:${c.id}:settled` : `q:${c.id}`), WEIGHT.cue);
  for (const m of marks) add(fnv(FNV_OFFSET, `m:${m.id}`), WEIGHT.mark);
  if (settled) add(fnv(FNV_OFFSET, 'k:settled'), WEIGHT.concept);
  if (general) add(fnv(FNV_OFFSET, 'k:general'), WEIGHT.concept);
  // Very short messages are rarely concerns; a length bucket lets the model learn that.
  add(fnv(FNV_OFFSET, `l:${Math.min(tokens.length, 12) >> 1}`), WEIGHT.length);

  const index = Int32Array.from(buckets.keys()).sort();
  const value = Float32Array.from(index, (i) => buckets.get(i) as number);
  let norm = 0;
  for (const v of value) norm += v * v;
  norm = Math.sqrt(norm) || 1;
  for (let i = 0; i < value.length; i++) value[i] = (value[i] as number) / norm;
  return { index, value };
}
