/** Builds the web console's dependencies (src/console) from the configuration and the process's services. */
import type { Env } from '../config/env.js';
import { platformAttachments } from '../console/attachments.js';
import type { ConsoleDeps } from '../console/context.js';
import { QUEUE_NAMES } from './queues.js';
import type { Services } from './services.js';

/** Undefined when the console is off (no PUBLIC_URL). */
export function consoleDeps(env: Env, services: Services): ConsoleDeps | undefined {
  if (!services.web) return undefined;
  return {
    services,
    web: services.web,
    attachments: platformAttachments({
      telegram: env.TELEGRAM_BOT_TOKEN ? { token: env.TELEGRAM_BOT_TOKEN, apiRoot: env.TELEGRAM_API_ROOT } : undefined,
      byUrl: {
        ...(env.ZALO_APP_ID ? { zalo: [new URL(env.ZALO_API_ROOT).origin] } : {}),
        ...(env.ZALO_BOT_TOKEN ? { zalobot: [new URL(env.ZALO_BOT_API_ROOT).origin] } : {}),
      },
    }),
    queueNames: QUEUE_NAMES,
  };
}
