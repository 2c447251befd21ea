/**
 * Evidence from Zalo (the OA and the Zalo Bot) is fetched by the server from the URL in the person's
 * message, against a local HTTP server that plays Zalo's file host: a photo is served as an image, any
 * other bytes only as a download, and URLs that are neither https nor the configured platform's origin
 * (a link someone typed to a server of theirs) are never fetched. (Telegram's getFile path is driven
 * end to end by tests/console-e2e.test.ts.)
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { platformAttachments } from '../src/console/attachments.js';
import { solidPng } from './helpers/png.js';

let host: FastifyInstance;
let origin: string;
const hits: string[] = [];
const PHOTO = solidPng(4, 4, [200, 30, 30]);

beforeAll(async () => {
  host = Fastify();
  host.addHook('onRequest', async (req) => void hits.push(req.url));
  host.get('/photo.jpg', async (_req, reply) => reply.type('image/jpeg').send(PHOTO)); // the type claimed is not trusted
  host.get('/page.html', async (_req, reply) => reply.type('image/png').send('<script>alert(1)</script>'));
  host.get('/gone.jpg', async (_req, reply) => reply.code(404).send());
  origin = await host.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await host.close();
});

describe('Zalo attachments in the console', () => {
  it('fetches a Zalo Bot photo from its URL and shows it as the image its bytes are', async () => {
    const source = platformAttachments({ byUrl: { zalobot: [origin] } });
    const file = await source.fetch('zalobot', { kind: 'photo', ref: `${origin}/photo.jpg` }, 'TE-ABC123-1');
    expect(file).toMatchObject({ contentType: 'image/png', inline: true, filename: 'TE-ABC123-1.png' });
    expect(file!.body.equals(PHOTO)).toBe(true);
  });

  it('offers bytes that are not an image only as a download, whatever type the host claims', async () => {
    const source = platformAttachments({ byUrl: { zalo: [origin] } });
    const file = await source.fetch('zalo', { kind: 'photo', ref: `${origin}/page.html` }, 'TE-ABC123-2');
    expect(file).toMatchObject({ contentType: 'application/octet-stream', inline: false, filename: 'TE-ABC123-2.bin' });
  });

  it('never fetches a plain-http URL of another origin, a channel without the setting, or a missing file', async () => {
    hits.length = 0;
    const zaloOnly = platformAttachments({ byUrl: { zalo: ['http://127.0.0.1:9'] } });
    expect(await zaloOnly.fetch('zalo', { kind: 'photo', ref: `${origin}/photo.jpg` }, 'x')).toBeUndefined();
    expect(await zaloOnly.fetch('zalobot', { kind: 'photo', ref: `${origin}/photo.jpg` }, 'x')).toBeUndefined();
    expect(await zaloOnly.fetch('local', { kind: 'photo', ref: `${origin}/photo.jpg` }, 'x')).toBeUndefined();
    expect(hits).toEqual([]); // refused before any request
    const allowed = platformAttachments({ byUrl: { zalobot: [origin] } });
    expect(await allowed.fetch('zalobot', { kind: 'photo', ref: `${origin}/gone.jpg` }, 'x')).toBeUndefined();
    expect(await allowed.fetch('zalobot', { kind: 'photo', ref: 'not a url' }, 'x')).toBeUndefined();
  });
});
