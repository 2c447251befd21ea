/**
 * Every feature, in the one order they get a chance at a message (like grammY middleware: the first that
 * answers wins). Each is a small module; the catch-all is last so nobody is left without an answer.
 * Narrow, exact matchers (commands, buttons, "nhận TE-…") come before the broad ones (menu words, status
 * questions, a described concern), so a staff "/help" or a note saying "kiểm tra" is not taken for them.
 */
import { caseCommandsFeature } from './cases/index.js';
import { ackFeature } from './cases/ack.js';
import { namedCaseFeature } from './cases/named.js';
import { unnamedCaseFeature } from './cases/unnamed.js';
import { activeFlowFeature } from './conversation.js';
import { countsOfficerFeature } from './counts/officer.js';
import { countsSubmissionFeature } from './counts/submission.js';
import { villageHeadFeature } from './counts/village-head.js';
import type { FlowEngine } from './flow.js';
import { nonTextFeature, tooLongFeature } from './guards.js';
import { catchAllFeature, menuFeature } from './menu.js';
import { linkFeature } from './links.js';
import { registrationFeature } from './registration.js';
import { reporterAdditionFeature } from './report/addition.js';
import { reportFeature } from './report/start.js';
import { statusFeature } from './report/status.js';
import type { Feature } from './turn.js';
import { webFeature } from './web.js';

/** Builds the features in order; those with conversations register their flows with `flows`. */
export function features(flows: FlowEngine): Feature[] {
  return [
    tooLongFeature,
    // A guided step gets the message first; commands and menu buttons pass through it.
    activeFlowFeature(flows),
    caseCommandsFeature(flows),
    ackFeature,
    webFeature,
    // A case named by staff without a command: theirs, not a reporter's addition or status question.
    namedCaseFeature,
    // Before status questions: an addition saying "đã kiểm tra lại" is not a status question.
    reporterAdditionFeature(flows),
    // Before the citizen menu: a village head's /help and "số liệu đã gửi" are theirs.
    villageHeadFeature,
    menuFeature,
    statusFeature,
    registrationFeature,
    linkFeature,
    countsOfficerFeature,
    countsSubmissionFeature(flows),
    // Staff words naming no case that read as case work: before they are taken for a new report.
    unnamedCaseFeature(flows),
    reportFeature(flows),
    // After the active flow had its chance (a report step accepts photos).
    nonTextFeature,
    catchAllFeature,
  ];
}
