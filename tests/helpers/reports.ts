/**
 * A report as the conversation would save it, for tests that put cases straight into the store: a P1
 * "violence" report in Xã Bảo Linh, village Thôn Nà Ca, from an anonymous local citizen. Tests change
 * only what they are about.
 */
import type { NewReport, ReportDetails } from '../../src/store/reports.js';

export function sampleReport(overrides: Partial<Omit<NewReport, 'details'>> = {}, details: Partial<ReportDetails> = {}): NewReport {
  return {
    communeId: 'bao-linh',
    category: 'violence',
    urgency: 'P1',
    alertRoles: ['officer'],
    village: 'Thôn Nà Ca',
    inDanger: 'no',
    channel: 'local',
    ...overrides,
    details: { description: 'Cháu bị đánh', child: {}, reporter: { identity: 'local:nguoi-dan' }, attachments: [], ...details },
  };
}
