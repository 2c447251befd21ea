/**
 * The shipped classifier: models/classifier.json (built by `npm run train`), loaded once, then
 * `classify(text)` for any message. Nothing is fetched at run time.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { fromStored, toStored, type StoredLinear } from './linear.js';
import { classifyWith, type Classification, type ClassifierModel, type Thresholds } from './model.js';

export type { Classification, CategoryScore, UrgencyReason } from './model.js';

export const MODEL_FILE = fileURLToPath(new URL('../../models/classifier.json', import.meta.url));

interface StoredModel {
  format: 'treem-nlu/2';
  dimensions: number;
  thresholds: Thresholds;
  category: StoredLinear;
  concerns: StoredLinear;
  urgency: StoredLinear;
}

export function saveModel(model: ClassifierModel, file: string = MODEL_FILE): void {
  const stored: StoredModel = {
    format: 'treem-nlu/2',
    dimensions: model.dimensions,
    thresholds: model.thresholds,
    category: toStored(model.category),
    concerns: toStored(model.concerns),
    urgency: toStored(model.urgency),
  };
  writeFileSync(file, `${JSON.stringify(stored)}\n`);
}

export function loadModel(file: string = MODEL_FILE): ClassifierModel {
  const stored = JSON.parse(readFileSync(file, 'utf8')) as StoredModel;
  if (stored.format !== 'treem-nlu/2') throw new Error(`${file}: not a classifier model (run npm run train)`);
  return { dimensions: stored.dimensions, thresholds: stored.thresholds, category: fromStored(stored.category), concerns: fromStored(stored.concerns), urgency: fromStored(stored.urgency) };
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
