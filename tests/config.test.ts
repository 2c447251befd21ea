import { describe, expect, it } from 'vitest';
import { loadServiceConfig, parseServiceConfig } from '../src/config/communes.js';
import { ConfigError, loadEnv } from '../src/config/env.js';

describe('configuration', () => {
  it('reads defaults and the example communes file', () => {
    const env = loadEnv({});
    expect(env.TELEGRAM_API_ROOT).toBe('https://api.telegram.org');
    const config = loadServiceConfig(env.CONFIG_FILE);
    expect(config.communes[0]?.id).toBe('bao-linh');
    expect(config.communes[0]?.alerts.P0).toEqual(['officer', 'chair', 'police']);
  });

  it('names the variable and the problem when the environment is wrong', () => {
    expect(() => loadEnv({ PORT: 'abc' })).toThrow(/PORT/);
    expect(() => loadEnv({ TELEGRAM_BOT_TOKEN: 'not-a-token' })).toThrow(/TELEGRAM_BOT_TOKEN: must look like/);
    expect(() => loadEnv({ TELEGRAM_BOT_TOKEN: '1:abc', TELEGRAM_MODE: 'webhook' })).toThrow(/TELEGRAM_WEBHOOK_SECRET: is required/);
    expect(() => loadEnv({ TELEGRAM_MODE: 'push' })).toThrow(/TELEGRAM_MODE/);
    expect(() => loadEnv({ DATA_KEY: 'short' })).toThrow(/DATA_KEY: must be 32 bytes/);
    // Well-formed but not random: refused with a message saying how to make one.
    for (const weak of ['0'.repeat(64), 'ab'.repeat(32), '0123456789abcdef'.repeat(4), 'A'.repeat(43) + '=']) {
      expect(() => loadEnv({ DATA_KEY: weak }), weak).toThrow(/DATA_KEY: is not random .*openssl rand -hex 32/);
    }
    expect(loadEnv({ DATA_KEY: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' }).DATA_KEY).toHaveLength(64);
    expect(() => loadEnv({ REDIS_URL: 'http://x' })).toThrow(ConfigError);
    // Webhook secrets an attacker could guess or that Telegram would refuse: refused at start-up, saying how to make one.
    const tg = { TELEGRAM_BOT_TOKEN: '1:abc', TELEGRAM_MODE: 'webhook' };
    for (const weak of ['a', 'prod-secret', 'x'.repeat(31), 'ab'.repeat(20), 'a b'.repeat(12), 'ü'.repeat(40), 'k'.repeat(257)]) {
      expect(() => loadEnv({ ...tg, TELEGRAM_WEBHOOK_SECRET: weak }), weak).toThrow(/TELEGRAM_WEBHOOK_SECRET: (must be 32-256 characters|is not random).*openssl rand -hex 32/);
      expect(() => loadEnv({ ZALO_BOT_TOKEN: '1:abc', ZALO_BOT_WEBHOOK_SECRET: weak }), weak).toThrow(/ZALO_BOT_WEBHOOK_SECRET: (must be 32-256|is not random)/);
    }
    const strong = 'Zk3_9fQ-2mWx7LpA0sVt8RbN4cYh6JdE';
    expect(loadEnv({ ...tg, TELEGRAM_WEBHOOK_SECRET: strong }).TELEGRAM_WEBHOOK_SECRET).toBe(strong);
    expect(loadEnv({ ZALO_BOT_TOKEN: '1:abc', ZALO_BOT_WEBHOOK_SECRET: strong }).ZALO_BOT_WEBHOOK_SECRET).toBe(strong);
    expect(() => loadEnv({ ZALO_APP_ID: '1', ZALO_APP_SECRET: 's' })).toThrow(/ZALO_OA_SECRET_KEY: is required/);
    expect(() => loadEnv({ ZALO_EVENT_MAX_AGE_HOURS: '48' })).toThrow(/ZALO_EVENT_MAX_AGE_HOURS/);
    expect(loadEnv({}).ZALO_EVENT_MAX_AGE_HOURS).toBe(24);
    expect(loadEnv({ ZALO_EVENT_MAX_AGE_HOURS: '13' }).ZALO_EVENT_MAX_AGE_HOURS).toBe(13);
  });

  it('names the field when the communes file is wrong', () => {
    expect(() => parseServiceConfig({ communes: [] })).toThrow(/communes: at least one commune/);
    expect(() => parseServiceConfig({ communes: [{ id: 'Bad Id', name: 'x', province: 'y', villages: [{ name: 'a' }] }] })).toThrow(/communes\.0\.id/);
    expect(() => parseServiceConfig({ communes: [{ id: 'a', name: 'x', province: 'y', villages: [{ name: 'a' }], timezone: 'Mars/Base' }] })).toThrow(/timezone: unknown time zone/);
    expect(() => parseServiceConfig({ communes: [{ id: 'a', name: 'x', province: 'y', villages: [{ name: 'a' }], deadlines: [{ key: 'k', label: 'l', due: '13-40' }] }] })).toThrow(/deadlines\.0\.due: must be MM-DD/);
    expect(() => loadServiceConfig('/nonexistent.yaml')).toThrow(/CONFIG_FILE: cannot read/);
  });
});
