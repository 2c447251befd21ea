/** Reads the labelled corpus (corpus/reports/*.jsonl, docs/corpus.md) and checks every line. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { URGENCIES } from '../config/communes.js';
import { LABELS } from './labels.js';

export const CORPUS_DIR = fileURLToPath(new URL('../../corpus/reports/', import.meta.url));
/**
 * The fresh set (docs/corpus.md): lines written apart from the corpus, without reading it, kept out of
 * training and out of every choice made on the figures, so they stand for the phrasings the team
 * measures on outside the repository. All are `test`.
 */
export const FRESH_DIR = fileURLToPath(new URL('../../corpus/fresh/', import.meta.url));

const LineSchema = z.object({
  text: z.string().min(1),
  category: z.enum(LABELS),
  urgency: z.enum(URGENCIES),
  split: z.enum(['train', 'test']),
  source: z.literal('template').optional(),
});
export type CorpusLine = z.infer<typeof LineSchema>;

export function loadCorpus(dir: string = CORPUS_DIR): CorpusLine[] {
  const lines: CorpusLine[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.jsonl')).sort()) {
    readFileSync(join(dir, file), 'utf8')
      .split('\n')
      .forEach((raw, i) => {
        if (!raw.trim()) return;
        const parsed = LineSchema.safeParse(JSON.parse(raw));
        if (!parsed.success) throw new Error(`${file}:${i + 1}: ${parsed.error.issues.map((x) => `${x.path.join('.')} ${x.message}`).join('; ')}`);
        lines.push(parsed.data);
      });
  }
  return lines;
}

/** Deterministic k-fold assignment of the training lines: fold = position within its label, modulo k. */
export function folds<T extends { category: string }>(lines: readonly T[], k: number): T[][] {
  const out: T[][] = Array.from({ length: k }, () => []);
  const seen = new Map<string, number>();
  for (const line of lines) {
    const n = seen.get(line.category) ?? 0;
    seen.set(line.category, n + 1);
    (out[n % k] as T[]).push(line);
  }
  return out;
}
