// `guishu explain FILE --customer ID [--at TIME] [--lang en]`: one customer's
// timeline and every decision about them, each with the clause it rests on.
import { parseArgs } from 'node:util';
import type { OfficeEvent, CustomerRef } from '../domain/events.ts';
import { dealView, ownerOf } from '../domain/engine/index.ts';
import type { Change } from '../domain/engine/changes.ts';
import { describeChange, describeEvent, type Lang, type Names } from '../domain/explain.ts';
import { normalizePhone } from '../domain/phone.ts';
import { formatLocalTime, parseLocalTime } from '../domain/time.ts';
import { clauseText } from './catalogue.ts';
import { loadSource, replay, resolveCustomer } from './source.ts';

function refs(event: OfficeEvent): CustomerRef[] {
  switch (event.type) {
    case 'visit':
      return [event.customer, ...(event.party ?? []), ...(event.says?.referredBy ? [event.says.referredBy] : [])];
    case 'referral':
      return [event.referrer, event.referred];
    case 'relation':
      return [event.a, event.b];
    case 'deal':
      return event.customers;
    case 'ruling':
      return event.customer ? [event.customer] : [];
    case 'call':
    case 'followup':
    case 'outreach':
    case 'report':
    case 'recognize':
    case 'staff-relation':
    case 'complaint':
    case 'no-contact':
      return [event.customer];
    default:
      return [];
  }
}

function touches(change: Change, phone: string): boolean {
  return 'phone' in change && change.phone === phone;
}

export async function explainCommand(args: string[], write: (line: string) => void): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { customer: { type: 'string' }, at: { type: 'string' }, lang: { type: 'string', default: 'zh' } } });
  const file = positionals[0];
  if (!file || !values.customer) {
    process.stderr.write('usage: guishu explain FILE --customer ID [--at "YYYY-MM-DD HH:mm"] [--lang en]\n');
    return 2;
  }
  const lang: Lang = values.lang === 'en' ? 'en' : 'zh';
  const source = await loadSource(file);
  const phone = resolveCustomer(source, values.customer);
  const at = values.at ? parseLocalTime(values.at, source.timezone) : undefined;
  if (values.at && at === undefined) throw new Error(`--at: not a time: ${values.at}`);
  const events = at === undefined ? source.events : source.events.filter((e) => e.at <= at);
  const timeline = replay({ ...source, events });
  const state = timeline.state;
  const names: Names = {
    staff: (id) => (id ? (source.staffNames.get(id) ?? state.staff.get(id)?.name ?? id) : lang === 'zh' ? '无' : 'none'),
    customer: (p) => state.customers.get(p)?.name ?? p,
  };
  const when = at ?? events.at(-1)?.at ?? 0;
  const view = ownerOf(state, phone, when);
  const customer = state.customers.get(phone);
  const zh = lang === 'zh';
  write(`${zh ? '客户' : 'Customer'} ${customer?.name ?? ''} ${phone}`);
  const status = { protected: zh ? '保护期内' : 'protected', lapsed: zh ? '保护期已过' : 'lapsed', public: zh ? '公客池' : 'public pool', closed: zh ? '已成交' : 'closed', none: zh ? '未登记' : 'not registered' }[view.status];
  write(`${zh ? '截至' : 'As of'} ${formatLocalTime(when, source.timezone)}: ${zh ? '归属' : 'owner'} ${names.staff(view.owner)} · ${status}${view.protectedUntil ? ` · ${zh ? '保护至' : 'until'} ${formatLocalTime(view.protectedUntil, source.timezone)}` : ''}`);
  if (view.basis) write(`  ${zh ? '依据' : 'basis'}: ${clauseText(view.basis.clause, lang)}`);
  write('');
  for (const entry of timeline.entries) {
    const mine = refs(entry.event).some((r) => normalizePhone(r.phone) === phone);
    const changes = entry.outcome.accepted ? entry.outcome.changes.filter((c) => touches(c, phone) || (mine && (c.kind === 'turn' || c.kind === 'deal' || c.kind === 'make-up'))) : [];
    if (!mine && changes.length === 0) continue;
    write(`${entry.event.id.padEnd(6)} ${describeEvent(entry.event, lang, names, source.timezone)}`);
    if (!entry.outcome.accepted) {
      const r = entry.outcome.rejection;
      write(`       ✗ ${zh ? '不予登记' : 'refused'} [${r.code}] ${zh ? r.messageZh : r.messageEn} (${r.field})`);
      continue;
    }
    if (entry.event.type === 'deal') {
      const deal = dealView(state, entry.event.deal);
      if (deal) {
        write(`       → ${zh ? '业绩' : 'performance'} ${JSON.stringify(deal.performance)} ${zh ? '佣金' : 'commission'} ${JSON.stringify(deal.commission)}`);
        write(`         ${zh ? '依据' : 'basis'} ${clauseText(deal.split.performanceBasis.clause, lang)}${deal.split.commissionBasis.clause !== deal.split.performanceBasis.clause ? ` / ${clauseText(deal.split.commissionBasis.clause, lang)}` : ''}`);
      }
    }
    for (const c of changes) {
      const d = describeChange(c, lang, names, source.timezone);
      if (!d) continue;
      write(`       → ${d.text}${d.clause ? `\n         ${zh ? '依据' : 'basis'} ${clauseText(d.clause, lang)}${d.events?.length ? ` [${d.events.join(', ')}]` : ''}` : ''}`);
    }
  }
  return 0;
}
