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
// Each kind's prefix hashed once: FNV-1a continued over the rest is the hash of the whole feature name
// (`w:<word>`, `b:<word>_<next>`…), so no feature string is built.
const CHAR_SEED = fnv(FNV_OFFSET, 'c:');
const WORD_SEED = fnv(FNV_OFFSET, 'w:');
const BIGRAM_SEED = fnv(FNV_OFFSET, 'b:');
const CONCEPT_SEED = fnv(FNV_OFFSET, 'k:');
const CUE_SEED = fnv(FNV_OFFSET, 'q:');
const MARK_SEED = fnv(FNV_OFFSET, 'm:');
const LENGTH_SEED = fnv(FNV_OFFSET, 'l:');
const LT = '<'.charCodeAt(0);
const GT = '>'.charCodeAt(0);

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

/**
 * The buckets of the message being vectorised: the highest weight each got (0: none yet) and the ones
 * touched, kept between calls and cleared after each, so a message allocates only its result.
 */
let weightOf = new Float64Array(0);
let touched = new Int32Array(256);
let count = 0;

function add(h: number, w: number): void {
  const b = h % weightOf.length;
  const had = weightOf[b] as number;
  if (had === 0) {
    if (count === touched.length) {
      const more = new Int32Array(count * 2);
      more.set(touched);
      touched = more;
    }
    touched[count++] = b;
  }
  if (had < w) weightOf[b] = w;
}

export function vectorise(tokens: readonly string[], normalised: string, signals: Signals, dimensions: number): SparseVector {
  const { cues, marks, settled, general } = signals;
  if (weightOf.length !== dimensions) weightOf = new Float64Array(dimensions);
  // A call that threw half-way left its buckets set.
  for (let i = 0; i < count; i++) weightOf[touched[i] as number] = 0;
  count = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as string;
    add(fnv(WORD_SEED, t), WEIGHT.word);
    if (i + 1 < tokens.length) add(fnv(fnv(fnv(BIGRAM_SEED, t), '_'), tokens[i + 1] as string), WEIGHT.bigram);
    // The 2–5-grams of `<word>` hashed as they grow, without building the padded word or its pieces.
    const padded = t.length + 2;
    for (let j = 0; j + 2 <= padded; j++) {
      let h = CHAR_SEED;
      for (let n = 0; n < 5 && j + n < padded; n++) {
        const at = j + n;
        h = Math.imul(h ^ (at === 0 ? LT : at === padded - 1 ? GT : t.charCodeAt(at - 1)), 0x01000193);
        if (n >= 1) add(h >>> 0, WEIGHT.char);
      }
    }
  }
  for (const c of conceptsIn(normalised)) add(fnv(CONCEPT_SEED, c), WEIGHT.concept);
  for (const c of cues) add(settled && c.settles ? fnv(fnv(CUE_SEED, c.id), ':settled') : fnv(CUE_SEED, c.id), WEIGHT.cue);
  for (const m of marks) add(fnv(MARK_SEED, m.id), WEIGHT.mark);
  if (settled) add(fnv(CONCEPT_SEED, 'settled'), WEIGHT.concept);
  if (general) add(fnv(CONCEPT_SEED, 'general'), WEIGHT.concept);
  // Very short messages are rarely concerns; a length bucket lets the model learn that.
  add(fnv(LENGTH_SEED, String(Math.min(tokens.length, 12) >> 1)), WEIGHT.length);

  const index = touched.slice(0, count).sort();
  const value = new Float32Array(count);
  let norm = 0;
  for (let i = 0; i < count; i++) {
    const b = index[i] as number;
    value[i] = weightOf[b] as number;
    weightOf[b] = 0;
    norm += (value[i] as number) * (value[i] as number);
  }
  count = 0;
  norm = Math.sqrt(norm) || 1;
  for (let i = 0; i < value.length; i++) value[i] = (value[i] as number) / norm;
  return { index, value };
}
