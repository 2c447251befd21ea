/**
 * `npm run train`: builds models/classifier.json from the training lines of corpus/reports, and prints
 * 5-fold cross-validation figures over those lines, the held-out figures and those of the fresh set
 * (docs/classifier.md).
 * `--no-write` only prints; `--errors` also lists the cross-validation and fresh-set mistakes.
 */
import { statSync } from 'node:fs';
import { MODEL_FILE, saveModel } from '../nlu/classifier.js';
import { FRESH_DIR, loadCorpus } from '../nlu/corpus.js';
import { confusionTable, crossValidate, evaluate, predictAll, summary, type Evaluation } from '../nlu/evaluate.js';
import { buildModel } from '../nlu/train.js';

const lines = loadCorpus();
const trainLines = lines.filter((l) => l.split === 'train');
const heldOut = lines.filter((l) => l.split === 'test');

function print(title: string, ev: Evaluation): void {
  console.log(`\n${title}`);
  for (const [k, v] of Object.entries(summary(ev))) console.log(`  ${k}: ${v}`);
}

console.log(`corpus: ${lines.length} lines, ${trainLines.length} train (${trainLines.filter((l) => l.source).length} templated), ${heldOut.length} held out`);
const cv = evaluate(crossValidate(trainLines, 5));
print('5-fold cross-validation over the hand-written training lines', cv);
function listErrors(ev: Evaluation): void {
  for (const e of ev.errors) console.log(`    ${e.truth} → ${e.got}: ${e.text}`);
  for (const e of ev.p0Missed) console.log(`    P0 → ${e.urgency}: ${e.text}`);
}
if (process.argv.includes('--errors')) listErrors(cv);

const t0 = performance.now();
const model = buildModel(trainLines);
console.log(`\ntrained on ${trainLines.length} lines in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
const held = evaluate(predictAll(model, heldOut));
print('held-out split', held);
console.log(confusionTable(held));
const fresh = evaluate(predictAll(model, loadCorpus(FRESH_DIR)));
print('fresh set (corpus/fresh, written apart from the corpus)', fresh);
if (process.argv.includes('--errors')) listErrors(fresh);
if (!process.argv.includes('--no-write')) {
  saveModel(model);
  console.log(`\nwrote ${MODEL_FILE} (${(statSync(MODEL_FILE).size / 1024).toFixed(0)} KiB)`);
}
