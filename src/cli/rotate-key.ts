/**
 * `npm run rotate-key`: re-seals every sealed value under DATA_KEY, with DATA_KEY_PREVIOUS the key being
 * replaced (docs/keys.md). Safe while the service runs (it must already run with both keys) and safe to
 * stop: run it again and it resumes. Also re-seals values from before key ids (v1) with no rotation.
 */
import { outboxRules } from '../actions/outbox/sealed-places.js';
import { localChatRule } from '../bot/local/inbox.js';
import { zaloInboundRule } from '../bot/zalo/inbound-queue.js';
import { zaloTokenRules } from '../bot/zalo/tokens.js';
import { ConfigError } from '../config/env.js';
import { rekeyAll } from '../store/rekey.js';
import { storeRules } from '../store/sealed-places.js';
import { connectCli, runCli } from './connect.js';

runCli(async () => {
  const { env, redis, cipher } = await connectCli();
  try {
    // SCAN walks one server; a Cluster spreads the data and queue slots over several (docs/keys.md).
    if (env.REDIS_CLUSTER_NODES) throw new ConfigError('rotate-key does not walk a Redis Cluster yet: keep DATA_KEY_PREVIOUS set (values keep opening), or rotate on a single server or Sentinel set.');
    if (!env.DATA_KEY) throw new ConfigError('Invalid environment:\n  DATA_KEY: is required (the new key; the old one goes in DATA_KEY_PREVIOUS)');
    console.log(`Re-sealing under key ${cipher.keyId}…`);
    const report = await rekeyAll(redis, cipher, [...storeRules, ...outboxRules, zaloInboundRule, ...zaloTokenRules, localChatRule]);
    console.log(`Done: ${report.resealed} values re-sealed in ${report.passes} pass(es). Every process can now drop DATA_KEY_PREVIOUS.`);
    if (report.unreadable.length) {
      console.error(`${report.unreadable.length} values open under neither key and were left as they are:\n  ${report.unreadable.slice(0, 20).join('\n  ')}`);
      return 1;
    }
    return 0;
  } finally {
    redis.disconnect();
  }
});
