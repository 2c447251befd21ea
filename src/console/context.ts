/** What the console's routes share: the services, its own stores, and the signed-in viewer. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CommuneConfig } from '../config/communes.js';
import type { ActionDeps, WebAccess } from '../actions/deps.js';
import type { Member } from '../store/roles.js';
import type { WebSession } from '../store/web-sessions.js';
import { mayOpen, type Section } from './access.js';
import type { AttachmentSource } from './attachments.js';
import { messagePage } from './views/layout.js';

export interface ConsoleDeps {
  services: ActionDeps;
  /** Where the browser reaches us (https turns on the Secure cookie), the sign-in links, the sessions. */
  web: WebAccess;
  attachments: AttachmentSource;
  /** Queues shown to admins in the queue dashboard. */
  queueNames: readonly string[];
}

export interface Viewer {
  member: Member;
  commune: CommuneConfig;
  session: WebSession;
  sid: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    viewer?: Viewer;
  }
}

export function origin(deps: Pick<ConsoleDeps, 'web'>): string {
  return new URL(deps.web.publicUrl).origin;
}

/**
 * The viewer when signed in and allowed into the section; otherwise answers (sign-in help, or a
 * refusal) and returns undefined.
 */
export function allow(req: FastifyRequest, reply: FastifyReply, section: Section): Viewer | undefined {
  const viewer = req.viewer;
  if (!viewer) {
    void reply.code(401).type('text/html').send(messagePage('Chưa đăng nhập', 'Xin gửi /web trong tin nhắn với kênh bảo vệ trẻ em để nhận đường dẫn đăng nhập.'));
    return undefined;
  }
  if (!mayOpen(viewer.member, section)) {
    void reply.code(403).type('text/html').send(messagePage('Không có quyền', 'Phần này không dành cho vai trò của bạn.', viewer));
    return undefined;
  }
  return viewer;
}

/** The stores the figures (counts and case statistics) are read from. */
export function figureStores(services: ActionDeps) {
  return { redis: services.redis, counts: services.counts, reports: services.cases };
}
