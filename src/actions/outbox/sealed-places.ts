/** Where the outbox keeps sealed values (job data, dead letters), for `npm run rotate-key` (store/rekey.ts). */
import { sealedJson, type ResealRule } from '../../store/rekey.js';
import { outboxContext, type OutboxPart } from './contract.js';

const bound = (part: OutboxPart) => (json: Record<string, unknown>) => outboxContext(String(json.key), part);
const props = { sealedMessage: bound('message'), sealedPreview: bound('preview'), sealedTo: bound('to') };

export const outboxRules: ResealRule[] = [
  // A BullMQ job is the hash `<prefix>:<queue>:<id>`; its payload is the JSON in `data`.
  sealedJson(/^(bull|\{treem\}):outbox-[a-z]+(-urgent)?:[^:]+$/, 'hash', props, ['data']),
  sealedJson(/^outbox:dead:[^:]+$/, 'list', props),
];
