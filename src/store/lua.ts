/**
 * Lua scripts of the turn path, called by SHA with each call's arguments written straight into one
 * Buffer. ioredis's defineCommand builds a command as one string (`+=` of every argument): with one
 * argument outside Latin-1 (the offered choices' Vietnamese labels) the whole command, sealed values
 * included, is flattened as a two-byte string and then encoded again for the socket (7.5 KB of an
 * update's 90 KB of garbage in compare's closed loop, issue 15).
 * As ioredis does: the first call on a socket sends the script's text (EVAL), later ones its SHA, and
 * a NOSCRIPT answer (Redis's script cache flushed) is sent again as EVAL. Keys are prefixed as the
 * connection's other commands are (Cluster's keyPrefix).
 */
import { createHash } from 'node:crypto';
import { Command, type Redis } from 'ioredis';

export interface ScriptDef {
  numberOfKeys: number;
  lua: string;
}

/** One script; `call` runs it on a connection (a Redis or a Cluster). */
export class LuaScript {
  readonly sha: string;
  /** Sockets that were sent the script's text (ioredis's own record is per script object too). */
  readonly loaded = new WeakSet<object>();

  constructor(readonly def: ScriptDef) {
    this.sha = createHash('sha1').update(def.lua).digest('hex');
  }

  call(redis: Redis, ...args: Array<string | number>): Promise<unknown> {
    const keyPrefix = (redis.options as { keyPrefix?: string }).keyPrefix;
    const command = new ScriptCommand(this, [this.sha, this.def.numberOfKeys, ...args], keyPrefix);
    return (redis.sendCommand(command) as Promise<unknown>).catch((err: Error) => {
      if (!err.message.includes('NOSCRIPT')) throw err;
      // The cache was flushed under a socket sent the text before: the retry sends it again.
      if (command.socket) this.loaded.delete(command.socket);
      return redis.sendCommand(new ScriptCommand(this, [this.sha, this.def.numberOfKeys, ...args], keyPrefix));
    });
  }
}

class ScriptCommand extends Command {
  constructor(
    private readonly script: LuaScript,
    args: Array<string | number>,
    keyPrefix: string | undefined,
  ) {
    super('evalsha', args, { replyEncoding: 'utf8', ...(keyPrefix ? { keyPrefix } : {}) });
  }

  /** The socket it was written to. */
  socket: object | undefined;

  override toWritable(socket: object): Buffer {
    this.socket = socket;
    if (!this.script.loaded.has(socket)) {
      this.script.loaded.add(socket);
      this.name = 'eval';
      this.args[0] = this.script.def.lua;
    }
    return encode(this.name, this.args as string[]);
  }
}

/**
 * A command in RESP (`*<n>`, then `$<bytes>` and each argument; ioredis made them strings), written
 * into one Buffer: no string is built for it, and an ASCII argument is copied as it is.
 */
function encode(name: string, args: readonly string[]): Buffer {
  const head = `*${args.length + 1}\r\n$${name.length}\r\n${name}\r\n`;
  const bytes = args.map((arg) => Buffer.byteLength(arg));
  let size = head.length;
  for (const n of bytes) size += n + digits(n) + 5;
  const out = Buffer.allocUnsafe(size);
  let at = out.write(head, 0, 'latin1');
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const n = bytes[i] as number;
    out[at++] = 0x24; // $
    at = writeDigits(out, at, n);
    out[at++] = 13;
    out[at++] = 10;
    at += out.write(arg, at, n === arg.length ? 'latin1' : 'utf8');
    out[at++] = 13;
    out[at++] = 10;
  }
  return out;
}

function digits(n: number): number {
  let d = 1;
  for (let rest = n; rest >= 10; rest = Math.floor(rest / 10)) d++;
  return d;
}

/** `n` in decimal at `at`; returns where it ends. */
function writeDigits(out: Buffer, at: number, n: number): number {
  const end = at + digits(n);
  let rest = n;
  for (let i = end - 1; i >= at; i--) {
    out[i] = 48 + (rest % 10);
    rest = Math.floor(rest / 10);
  }
  return end;
}
