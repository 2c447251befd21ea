/**
 * `npm run zalo:auth`: authorises the commune's Zalo OA for this app and stores the first token pair in
 * Redis, where the service's token store refreshes it from then on.
 *
 *   npm run zalo:auth                       prints the consent link, then waits for the code on stdin
 *   npm run zalo:auth -- --code <code>      exchanges a code from a link printed within 10 minutes
 *
 * The redirect page shows `?code=...&state=...`; pasting the whole redirect URL works too. Tokens are
 * never printed: they are the keys to a channel children use.
 */
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { ConfigError, loadEnv, type Env } from '../config/env.js';
import { createLogger, type Logger } from '../logger.js';
import { ZaloOAuthRejected, buildConsentUrl } from '../bot/zalo/oauth.js';
import { createOAuthState, createPkcePair } from '../bot/zalo/pkce.js';
import { ZaloTokenStore } from '../bot/zalo/tokens.js';
import type { DataCipher } from '../store/crypto.js';
import { KeyMismatchError, openKeyRing } from '../store/key-ring.js';

export interface ZaloAuthIo {
  argv: string[];
  env: Env;
  stdin: Readable;
  stdout: Writable;
  logger: Logger;
}

/** A bare code, or the redirect URL / query string holding `code` (and maybe `state`). */
export function parseCodeInput(input: string): { code: string; state?: string } | null {
  const text = input.trim();
  if (!text) return null;
  if (!text.includes('code=')) return { code: text };
  const query = text.includes('?') ? text.slice(text.indexOf('?') + 1) : text;
  const params = new URLSearchParams(query);
  const code = params.get('code');
  if (!code) return null;
  const state = params.get('state');
  return state ? { code, state } : { code };
}

async function firstLine(stream: Readable): Promise<string | null> {
  const rl = createInterface({ input: stream, crlfDelay: Infinity });
  try {
    for await (const line of rl) if (line.trim()) return line;
    return null;
  } finally {
    rl.close();
  }
}

/** Runs the command; returns the exit code. Separate from main() so it can run against a fake Zalo. */
export async function runZaloAuth(io: ZaloAuthIo): Promise<number> {
  const say = (s: string) => io.stdout.write(`${s}\n`);
  const { values } = parseArgs({
    args: io.argv,
    options: { code: { type: 'string' }, state: { type: 'string' }, help: { type: 'boolean' } },
    strict: true,
  });
  if (values.help) {
    say('Usage: npm run zalo:auth [-- --code <code> [--state <state>]]');
    return 0;
  }
  const { env } = io;
  // DATA_KEY: the pair and the consent link's verifier are stored sealed under it, as the service reads them.
  const needed: (keyof Env)[] = ['ZALO_APP_ID', 'ZALO_APP_SECRET', 'REDIS_URL', 'DATA_KEY'];
  if (!values.code) needed.push('ZALO_REDIRECT_URI'); // only the consent link needs it
  const missing = needed.filter((k) => !env[k]);
  if (missing.length > 0) {
    // REDIS_URL is required: the pair must land in the Redis the running service reads.
    say(`Missing settings: ${missing.join(', ')}`);
    return 2;
  }

  const redis = new Redis(env.REDIS_URL!, { maxRetriesPerRequest: 3 });
  let cipher: DataCipher;
  try {
    cipher = await openKeyRing(redis, { current: env.DATA_KEY!, previous: env.DATA_KEY_PREVIOUS });
  } catch (err) {
    redis.disconnect();
    if (!(err instanceof KeyMismatchError)) throw err;
    say(err.message);
    return 2;
  }
  const store = new ZaloTokenStore({
    redis,
    cipher,
    appId: env.ZALO_APP_ID!,
    appSecret: env.ZALO_APP_SECRET!,
    oauthRoot: env.ZALO_OAUTH_ROOT,
    logger: io.logger,
  });
  try {
    let input: { code: string; state?: string } | null = values.code
      ? { code: values.code, ...(values.state ? { state: values.state } : {}) }
      : null;

    if (!input) {
      const { codeVerifier, codeChallenge } = createPkcePair();
      const state = createOAuthState();
      // Kept in Redis (10 minutes) so `--code` in a later run can finish the exchange.
      await store.savePkceVerifier(state, codeVerifier);
      const url = buildConsentUrl({
        oauthRoot: env.ZALO_OAUTH_ROOT,
        appId: env.ZALO_APP_ID!,
        redirectUri: env.ZALO_REDIRECT_URI!,
        codeChallenge,
        state,
      });
      say('1. Log in to Zalo as an admin of the commune OA and open this link (valid 10 minutes):');
      say(`\n   ${url}\n`);
      say('2. Approve. Zalo redirects to the redirect URI with ?code=...');
      say('3. Paste the code (or the whole redirect URL) here and press Enter:');
      const line = await firstLine(io.stdin);
      input = line ? parseCodeInput(line) : null;
      if (!input) {
        say('No code received. When you have it, run: npm run zalo:auth -- --code <code>');
        return 1;
      }
    }

    const verifier = await store.takePkceVerifier(input.state);
    if (!verifier) {
      say('No consent link from the last 10 minutes matches. Run `npm run zalo:auth` again for a new link.');
      return 1;
    }
    const pair = await store.exchangeCode(input.code, verifier);
    say(`Zalo OA authorised. Token pair stored in Redis; access token valid until ${new Date(pair.expiresAt).toISOString()}.`);
    return 0;
  } catch (err) {
    if (err instanceof ZaloOAuthRejected) {
      say(`Zalo refused the code (HTTP ${err.status}): ${JSON.stringify(err.body)}`);
      say('Codes are single-use and short-lived: run `npm run zalo:auth` again.');
      return 1;
    }
    throw err;
  } finally {
    await store.close();
    redis.disconnect();
  }
}

async function main(): Promise<void> {
  let env: Env;
  try {
    env = loadEnv();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  const code = await runZaloAuth({
    argv: process.argv.slice(2),
    env,
    stdin: process.stdin,
    stdout: process.stdout,
    logger: createLogger(env.LOG_LEVEL),
  });
  process.exit(code);
}

// Run only as a script, so tests can import runZaloAuth.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
