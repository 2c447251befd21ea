/**
 * The yardstick for bench/compare.bench.ts: the plainest grammY bot there is (grammY + fastify
 * webhookCallback, ctx.reply echoing the text), in its own process, talking to the same fake Bot API.
 * Whatever the service does beyond this is what its conversation, storage and guarantees cost.
 * Env: ECHO_API_ROOT, ECHO_SECRET; reports its port over IPC once listening.
 */
import Fastify from 'fastify';
import { Bot, webhookCallback } from 'grammy';
import { BOT_USER } from '../../tests/helpers/fake-telegram.js';
import { parent } from './parent.js';

const bot = new Bot('123456:BENCH', { botInfo: BOT_USER, client: { apiRoot: process.env.ECHO_API_ROOT } });
bot.on('message:text', (ctx) => ctx.reply(ctx.message.text));

const app = Fastify();
app.get('/healthz', async () => ({ ok: true }));
app.post('/telegram/webhook', webhookCallback(bot, 'fastify', { secretToken: process.env.ECHO_SECRET }));
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
parent().post({ type: 'ready', value: typeof address === 'object' && address ? address.port : 0 });
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
