// Decisions in words, for the people who argue about them: the front desk,
// the consultants, the manager. Chinese first, English second.
import type { OfficeEvent } from './events.ts';
import type { Change } from './engine/changes.ts';
import { maskPhone } from './phone.ts';
import { formatLocalTime } from './time.ts';

export type Lang = 'zh' | 'en';

export interface Names {
  staff: (id: string | null | undefined) => string;
  customer: (phone: string) => string;
}

const T = {
  zh: {
    none: '无人（公客池）',
    owner: (who: string, via: string) => `归属 ${who}（${via}）`,
    pool: '归入公客池',
    renew: '保护期续期（有效联系）',
    turn: (who: string, makeUp: boolean) => (makeUp ? `${who} 使用补接一次` : `${who} 计轮排一次`),
    skip: (who: string, n: number, why: string) => (n > 0 ? `${who} 轮空（${why}），补接 ${n} 次` : `${who} 轮空（${why}），不补接`),
    makeUp: (who: string) => `${who} 获补接一次（交接，不计轮值）`,
    helper: (who: string, owner: string) => `${who} 代 ${owner} 接待（协助）`,
    coClaim: (who: string) => `${who} 共享业绩`,
    converted: (id: string) => `报备 ${id} 转化（报备有效期内首访）`,
    report: (agent: string, until: string) => `${agent} 报备，有效至 ${until}`,
    deal: (id: string, stage: string, unit?: string) => `成交 ${id}（${stage === 'deposit' ? '认购' : '签约'}${unit ? ' ' + unit : ''}）`,
    left: (who: string) => `${who} 离职`,
    complaint: (who: string, to?: string) => `投诉 ${who}${to ? `，改派 ${to}` : ''}`,
    roster: (order: string) => `当日轮排：${order}`,
    alert: (m: string) => `提醒：${m}`,
    via: {
      visit: '首次接待登记',
      call: '来电登记',
      outreach: '外拓登记',
      report: '渠道报备',
      referral: '老带新',
      ruling: '经理裁决',
      complaint: '投诉改派',
      'staff-relation': '员工亲友',
      designation: '客户指定',
      party: '同行客户',
      deal: '成交',
      invitation: '电话邀约',
    },
    because: '依据',
  },
  en: {
    none: 'nobody (public pool)',
    owner: (who: string, via: string) => `owner ${who} (${via})`,
    pool: 'returned to the public pool',
    renew: 'protection renewed (effective contact)',
    turn: (who: string, makeUp: boolean) => (makeUp ? `${who} uses a make-up turn` : `${who} takes a rotation turn`),
    skip: (who: string, n: number, why: string) => (n > 0 ? `${who} skipped (${why}), owed ${n} make-up` : `${who} skipped (${why}), no make-up`),
    makeUp: (who: string) => `${who} is owed a make-up turn (handover, not a turn)`,
    helper: (who: string, owner: string) => `${who} stands in for ${owner}`,
    coClaim: (who: string) => `${who} shares the credit`,
    converted: (id: string) => `report ${id} converted (first visit inside the validity)`,
    report: (agent: string, until: string) => `reported by ${agent}, valid until ${until}`,
    deal: (id: string, stage: string, unit?: string) => `deal ${id} (${stage}${unit ? ' ' + unit : ''})`,
    left: (who: string) => `${who} left the company`,
    complaint: (who: string, to?: string) => `complaint against ${who}${to ? `, reassigned to ${to}` : ''}`,
    roster: (order: string) => `today's rotation: ${order}`,
    alert: (m: string) => `alert: ${m}`,
    via: {
      visit: 'first reception registered',
      call: 'call registered',
      outreach: 'outreach registered',
      report: 'channel report',
      referral: 'referral',
      ruling: 'manager ruling',
      complaint: 'complaint reassignment',
      'staff-relation': "staff member's relative",
      designation: 'named by the customer',
      party: 'came in the party',
      deal: 'deal',
      invitation: 'phone invitation',
    },
    because: 'because',
  },
} as const;

/** One line per decision an event made, or null for bookkeeping that says nothing new. */
export function describeChange(change: Change, lang: Lang, names: Names, timezone: string): { text: string; clause?: string; events?: readonly string[] } | null {
  const t = T[lang];
  switch (change.kind) {
    case 'ownership': {
      const o = change.ownership;
      const text = o.owner === null ? t.pool : t.owner(names.staff(o.owner), t.via[o.via]);
      return { text, clause: o.basis.clause, events: o.basis.events };
    }
    case 'renew':
      return { text: t.renew };
    case 'turn': {
      const lines = change.turn.skipped.map((s) => t.skip(names.staff(s.staff), s.makeUps, s.reason));
      lines.push(t.turn(names.staff(change.turn.staff), change.turn.consumedMakeUp));
      return { text: lines.join('；'), clause: change.basis.clause, events: change.basis.events };
    }
    case 'make-up':
      return { text: t.makeUp(names.staff(change.staff)), clause: change.makeUp.basis.clause, events: change.makeUp.basis.events };
    case 'helper':
      return { text: t.helper(names.staff(change.helper.staff), names.staff(change.helper.owner)), clause: change.helper.basis.clause };
    case 'co-claim':
      return { text: t.coClaim(names.staff(change.claim.staff)), clause: change.claim.basis.clause, events: change.claim.basis.events };
    case 'report-converted':
      return { text: t.converted(change.reportId), clause: change.basis.clause, events: change.basis.events };
    case 'report':
      return { text: t.report(names.staff(change.report.agent), formatLocalTime(change.report.validUntil, timezone)), clause: change.report.basis.clause };
    case 'deal':
      return { text: t.deal(change.deal.id, change.deal.stage, change.deal.unit) };
    case 'left':
      return { text: t.left(names.staff(change.staff)) };
    case 'complaint':
      return { text: t.complaint(names.staff(change.complaint.against), change.complaint.reassignTo ? names.staff(change.complaint.reassignTo) : undefined), clause: change.complaint.basis.clause };
    case 'roster':
      return { text: t.roster(change.order.map((s) => names.staff(s)).join(' → ')) };
    case 'alert':
      return { text: t.alert(change.alert.message), clause: change.alert.basis.clause };
    case 'deal-ruling':
      return { text: lang === 'zh' ? '经理裁决成交分配' : 'manager ruled the split', clause: change.basis.clause };
    default:
      return null;
  }
}

/** What an event says happened, in one short line. */
export function describeEvent(event: OfficeEvent, lang: Lang, names: Names, timezone: string): string {
  const when = formatLocalTime(event.at, timezone);
  const s = names.staff;
  const c = (ref: { phone: string; name?: string }) => ref.name ?? maskPhone(ref.phone);
  const zh = lang === 'zh';
  switch (event.type) {
    case 'visit':
      return `${when} ${zh ? '来访' : 'visit'} ${c(event.customer)}${event.party?.length ? (zh ? ` 等${event.party.length + 1}人` : ` +${event.party.length}`) : ''}${event.receivedBy ? (zh ? `，${s(event.receivedBy)} 接待` : `, received by ${s(event.receivedBy)}`) : ''}`;
    case 'call':
      return `${when} ${zh ? (event.direction === 'in' ? '来电' : '去电') : event.direction === 'in' ? 'incoming call' : 'outgoing call'} ${c(event.customer)} — ${s(event.staff)}`;
    case 'followup':
      return `${when} ${zh ? '跟进' : 'follow-up'} ${c(event.customer)} — ${s(event.staff)} (${event.via})`;
    case 'outreach':
      return `${when} ${zh ? '外拓登记' : 'outreach'} ${c(event.customer)} — ${s(event.staff)}`;
    case 'report':
      return `${when} ${zh ? '报备' : 'report'} ${c(event.customer)} — ${s(event.staff)}`;
    case 'referral':
      return `${when} ${zh ? '老带新' : 'referral'} ${c(event.referrer)} → ${c(event.referred)}`;
    case 'relation':
      return `${when} ${zh ? '关系' : 'relation'} ${c(event.a)} ${event.kind} ${c(event.b)}`;
    case 'staff-relation':
      return `${when} ${zh ? '员工亲友' : 'staff relation'} ${s(event.staff)} — ${c(event.customer)}`;
    case 'recognize':
      return `${when} ${s(event.staff)} ${zh ? '认出' : 'recognises'} ${c(event.customer)}`;
    case 'deal':
      return `${when} ${zh ? '成交' : 'deal'} ${event.deal} ${event.stage} ${event.unit ?? ''} — ${s(event.closedBy)}`;
    case 'complaint':
      return `${when} ${zh ? '投诉' : 'complaint'} ${s(event.against)} (${event.fault})`;
    case 'no-contact':
      return `${when} ${zh ? '请勿打扰' : 'do not call'} ${c(event.customer)}`;
    case 'ruling':
      return `${when} ${zh ? '经理裁决' : 'ruling'} — ${s(event.by)}：${event.reason}`;
    case 'correction':
      return `${when} ${zh ? '更正' : 'correction'} ${event.of} — ${s(event.by)}：${event.reason}`;
    case 'leave':
      return `${when} ${s(event.staff)} ${zh ? '离职' : 'left'}`;
    case 'duty':
      return `${when} ${zh ? '轮排' : 'roster'} ${event.order.map(s).join(' → ')}`;
    case 'status':
      return `${when} ${s(event.staff)} ${event.state}`;
    case 'campaign':
      return `${when} ${zh ? '营销活动' : 'campaign'}`;
    case 'staff':
      return `${when} ${zh ? '员工' : 'staff'} ${event.name ?? event.staff}`;
    case 'policy':
      return `${when} ${zh ? '政策' : 'policy'} ${event.preset}`;
    case 'settings':
      return `${when} ${zh ? '佣金比例' : 'commission rates'} ${Object.entries({ ...event.commission.roles, ...event.commission.agencies }).map(([k, v]) => `${k} ${String(v)}`).join(' · ')}`;
    case 'objection':
      return `${when} ${s(event.staff)} ${zh ? '当日总结异议' : 'objects at the review'} ${event.customer ? c(event.customer) : (event.deal ?? '')}${event.evidence ? (zh ? `，依据 ${event.evidence}` : `, evidence ${event.evidence}`) : ''}`;
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}
