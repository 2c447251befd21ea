/**
 * Where the stores keep sealed values, for `npm run rotate-key` (rekey.ts). A new sealed field in a store
 * gets its line here; the outbox and the Zalo inbound queue list their own (their modules own the layout).
 */
import { sealedValue, type ResealRule } from './rekey.js';

export const storeRules: ResealRule[] = [
  sealedValue(/^report:[^:]+$/, 'hash', ['sealed']),
  sealedValue(/^case:[^:]+:timeline$/, 'list'),
  sealedValue(/^session:\{[^}]+\}$/, 'string'),
  sealedValue(/^web:(link|sess|flash):[^:]+$/, 'string'),
  {
    // `<update id>\n<parts>\n<parts sent>\n<sealed parts>` (turn-scripts.ts): only the last field is sealed.
    match: /^turn:replies:\{[^}]+\}$/,
    type: 'list',
    reseal(stored, key, _field, cipher) {
      const cut = stored.split('\n', 3).join('\n').length + 1;
      const sealed = stored.slice(cut);
      return cipher.isCurrent(sealed) ? stored : `${stored.slice(0, cut)}${cipher.reseal(sealed, key)}`;
    },
  },
];
