/**
 * The first-message path through the real handler: every held-out corpus line is sent as a new person's
 * first message to the dispatcher of a local-mode service (its own redis-server), and what happened is
 * read back from the session store: a report started at once, or not.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createRuntime } from '../../src/app/runtime.js';
import { loadServiceConfig } from '../../src/config/communes.js';
import { loadEnv } from '../../src/config/env.js';
import { silentLogger } from '../../src/logger.js';
import type { CorpusLine } from '../../src/nlu/corpus.js';
import { isConcernLabel } from '../../src/nlu/labels.js';
import { generateDataKey } from '../../src/store/crypto.js';
import { startRedisServer } from '../../src/store/redis-server.js';

export interface FirstMessageFigures {
  concerns: number;
  started: number;
  /** Concerns whose report began with the right category pre-selected or among the choices offered. */
  rightOffered: number;
  others: number;
  othersStarted: number;
  /** Of those, the ones that asked to report ("tôi muốn báo cáo"): the conversation starts without a story. */
  othersAsked: number;
  missed: string[];
  /** Non-concerns that started a report anyway. */
  falseStarts: string[];
  messagesPerSecond: number;
}

export async function firstMessages(lines: readonly CorpusLine[]): Promise<FirstMessageFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'treem-bench-first-'));
  const redis = await startRedisServer(dir);
  const env = loadEnv({ LOG_LEVEL: 'silent', DATA_KEY: generateDataKey() });
  const runtime = await createRuntime({ env, config: loadServiceConfig(env.CONFIG_FILE), redis: redis.url, dataKey: env.DATA_KEY!, log: silentLogger });
  const f: FirstMessageFigures = { concerns: 0, started: 0, rightOffered: 0, others: 0, othersStarted: 0, othersAsked: 0, missed: [], falseStarts: [], messagesPerSecond: 0 };
  const t0 = performance.now();
  try {
    let n = 0;
    for (const line of lines) {
      const userId = `bench-first-${++n}`;
      const { session } = await runtime.dispatcher.handle({ channel: 'local', userId, chatId: userId, text: line.text.normalize('NFC'), media: [], platformId: `b${n}`, receivedAt: Date.now() }, { offered: [] });
      const started = session?.flow === 'report';
      if (!isConcernLabel(line.category)) {
        f.others++;
        if (started) {
          f.othersStarted++;
          const asked = !(session.data as { description?: string }).description;
          if (asked) f.othersAsked++;
          f.falseStarts.push(`${line.category}${asked ? ' (asked to report)' : ''}: ${line.text}`);
        }
        continue;
      }
      f.concerns++;
      if (!started) {
        f.missed.push(line.text);
        continue;
      }
      f.started++;
      const d = session.data as { category?: string; suggested?: string[] };
      if (d.category === line.category || d.suggested?.includes(line.category)) f.rightOffered++;
    }
    f.messagesPerSecond = Math.round(lines.length / ((performance.now() - t0) / 1000));
  } finally {
    await runtime.close();
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  return f;
}
