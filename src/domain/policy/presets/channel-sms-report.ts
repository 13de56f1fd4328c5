// 客户确认及归属制度 — outreach/channel agents report by SMS/WeChat before the visit (lines 459-485).
import { definePreset } from '../define.ts';
import { standard } from './standard.ts';

export const channelSmsReport = definePreset(
  'channel-sms-report',
  '房地产拓客客户归属判别制度（短信报备）',
  standard,
  {
    // The rulebook does not carry the queue over: each day starts at the head of that day's roster.
    daily_cutoff_and_deadlines: { value: { ...standard.parameters.daily_cutoff_and_deadlines.value, rotation_carry_over: false }, clause: 'channel-sms-report.2a' },
    channel_report_rules: {
      value: {
        validity_days: 7, // 7天内(含7天) (2d)
        // Ambiguity (2f 连续超过三次): the fourth report after three lapsed in a row is refused and the customer is a public lead.
        max_consecutive_reports: 3,
        // Ambiguity (2c 以**代表 vs 138***88888): the example wins — first 3 and last 5 digits.
        masked_phone: { first: 3, last: 5 },
        report_beats_escort: true, // 3a
        require_name_and_time: true, // 2c
        party_follows_reporter: true, // 3b
        outreach_form_required: true, // 1
      },
      clause: 'channel-sms-report.2d',
      // 首访在前报备在后、客户指定行销人员 (2b); 亲自带客、报备无重复 (3a); 同组其他成员 (3b).
      clauses: { late_report: 'channel-sms-report.2b', escort: 'channel-sms-report.3a', party: 'channel-sms-report.3b' },
    },
    family_cross_rule: { value: 'whole_party_to_reporting_agent', clause: 'channel-sms-report.3b' },
    complaint_outcome: { value: 'agent_reassigned', clause: 'channel-sms-report.4' },
  },
  {
    reportConverted: 'channel-sms-report.2a',
    reportDuplicate: 'channel-sms-report.3a',
    reportLate: 'channel-sms-report.2b',
    reportExpired: 'channel-sms-report.2d',
    reportPublic: 'channel-sms-report.2f',
    outreachOwner: 'channel-sms-report.1',
  },
  {
    'channel-sms-report.5': '定时分区 (timed zoning) is defined nowhere in the rulebook; disputes go to a manager\'s ruling on the report and visit times.',
  },
);
