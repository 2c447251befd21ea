/**
 * DATA_KEY encrypts personal data at rest. Deployments must set it (losing it loses the data); the local
 * try-out mode generates one and keeps it beside its Redis data so a restart can still read old reports.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../config/env.js';
import { generateDataKey } from '../store/crypto.js';

/** Where the try-out mode keeps its generated key. */
export function dataKeyFile(dataDir: string): string {
  return join(dataDir, 'data.key');
}

export function resolveDataKey(opts: { dataKey?: string; dataDir: string; localMode: boolean }): string {
  if (opts.dataKey) return opts.dataKey;
  if (!opts.localMode) {
    throw new ConfigError('Invalid environment:\n  DATA_KEY: is required when a platform token is set (32 bytes as 64 hex characters: `openssl rand -hex 32`)');
  }
  const file = dataKeyFile(opts.dataDir);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(opts.dataDir, { recursive: true });
  const key = generateDataKey();
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  return key;
}
