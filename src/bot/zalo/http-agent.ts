/** The keep-alive undici Agent shared by the Zalo API client and the token store, with bounded timeouts. */
import { Agent } from 'undici';

export interface HttpTimeouts {
  connectTimeoutMs?: number;
  headersTimeoutMs?: number;
  bodyTimeoutMs?: number;
  connections?: number;
}

export function createZaloAgent(opts: HttpTimeouts): Agent {
  return new Agent({
    connect: { timeout: opts.connectTimeoutMs ?? 5_000 },
    headersTimeout: opts.headersTimeoutMs ?? 10_000,
    bodyTimeout: opts.bodyTimeoutMs ?? 10_000,
    keepAliveTimeout: 30_000,
    connections: opts.connections ?? 16,
  });
}
