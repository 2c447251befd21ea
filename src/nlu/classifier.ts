/**
 * The shipped classifier: models/classifier.json (built by `npm run train`), loaded once, then
 * `classify(text)` for any message. Nothing is fetched at run time.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { fromBytes, toBytes } from './bayes.js';
import { fromStored, toStored, type StoredLinear } from './linear.js';
import { classifyWith, type Classification, type ClassifierModel, type Thresholds } from './model.js';

export type { Classification, CategoryScore, UrgencyReason } from './model.js';

export const MODEL_FILE = fileURLToPath(new URL('../../models/classifier.json', import.meta.url));

interface StoredModel {
  format: 'treem-nlu/3';
  dimensions: number;
  thresholds: Thresholds;
  category: StoredLinear;
  concerns: StoredLinear;
  /** naive Bayes's feature weights: base64 of one byte per bucket, weight = byte × scale. */
  idf?: { scale: number; weights: string };
  urgency: StoredLinear;
}

export function saveModel(model: ClassifierModel, file: string = MODEL_FILE): void {
  const stored: StoredModel = {
    format: 'treem-nlu/3',
    dimensions: model.dimensions,
    thresholds: model.thresholds,
    category: toStored(model.category),
    concerns: toStored(model.concerns),
    idf: model.idf && storedWeights(model.idf),
    urgency: toStored(model.urgency),
  };
  writeFileSync(file, `${JSON.stringify(stored)}\n`);
}

/** The weights come from idfWeights already kept to bytes: storing them again loses nothing. */
function storedWeights(w: Float32Array): { scale: number; weights: string } {
  const max = w.reduce((m, v) => Math.max(m, v), 0);
  return { scale: max / 255, weights: Buffer.from(toBytes(w, max)).toString('base64') };
}

export function loadModel(file: string = MODEL_FILE): ClassifierModel {
  const stored = JSON.parse(readFileSync(file, 'utf8')) as StoredModel;
  if (stored.format !== 'treem-nlu/3') throw new Error(`${file}: not a classifier model of this version (run npm run train)`);
  const idf = stored.idf && fromBytes(new Uint8Array(Buffer.from(stored.idf.weights, 'base64')), stored.idf.scale);
  return { dimensions: stored.dimensions, thresholds: stored.thresholds, category: fromStored(stored.category), concerns: fromStored(stored.concerns), idf, urgency: fromStored(stored.urgency) };
}

let shipped: ClassifierModel | undefined;

/** Loads the shipped model now (call at start-up so the first message does not pay for it). */
export function loadClassifier(): ClassifierModel {
  shipped ??= loadModel();
  return shipped;
}

/** Category scores, concern score and urgency (with the reasons) of one message. */
export function classify(text: string): Classification {
  return classifyWith(loadClassifier(), text);
}
