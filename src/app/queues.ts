/** Every background queue of the service, for the admins' queue dashboard and the queue-depth metric. */
import { ALERTS_QUEUE } from '../actions/alert-queue.js';
import { ESCALATION_QUEUE } from '../actions/escalation.js';
import { OUTBOX_LANES, outboxQueueName } from '../actions/outbox/contract.js';
import { ZALO_INBOUND_QUEUE } from '../bot/zalo/inbound-queue.js';
import { CLOCKS_QUEUE } from '../jobs/clocks.js';
import { REMINDER_QUEUE } from '../jobs/reminders.js';
import { CHANNELS } from '../messaging/message.js';

export const QUEUE_NAMES: readonly string[] = [ALERTS_QUEUE, ESCALATION_QUEUE, CLOCKS_QUEUE, REMINDER_QUEUE, ZALO_INBOUND_QUEUE, ...CHANNELS.flatMap((c) => OUTBOX_LANES.map((lane) => outboxQueueName(c, lane)))];
