// `guishu whatif FILE --policy PRESET [--set key=value ...]`: replays a
// timeline under another policy and lists every customer whose owner changes
// and every deal whose split changes, with both bases.
import { parseArgs } from 'node:util';
import { dealView, ownerOf } from '../domain/engine/index.ts';
import { clauseText } from './catalogue.ts';
import { loadSource, replay } from './source.ts';
import { initialPolicy } from '../domain/policy/wiring.ts';

export function parseSetArgs(pairs: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new Error(`--set: expected key=value, got "${pair}"`);
    const key = pair.slice(0, eq);
    const raw = pair.slice(eq + 1);
    let value: unknown = raw;
    try {
      value = JSON.parse(raw);
    } catch {
      value = raw;
    }
    out[key] = value;
  }
  return out;
}

export interface WhatIf {
  owners: { customer: string; name?: string; before: string | null; after: string | null; beforeBasis?: string; afterBasis?: string }[];
  deals: { deal: string; before: unknown; after: unknown; beforeBasis?: string; afterBasis?: string }[];
}

export async function whatifCommand(args: string[], write: (line: string) => void): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { policy: { type: 'string' }, set: { type: 'string', multiple: true, default: [] }, json: { type: 'boolean', default: false }, lang: { type: 'string', default: 'zh' } } });
  const file = positionals[0];
  if (!file || !values.policy) {
    process.stderr.write('usage: guishu whatif FILE --policy PRESET [--set key=value ...] [--json]\n');
    return 2;
  }
  const lang = values.lang === 'en' ? 'en' : 'zh';
  const source = await loadSource(file);
  const before = replay(source);
  const after = replay(source, initialPolicy(values.policy, parseSetArgs(values.set ?? [])));
  const end = source.events.at(-1)?.at ?? 0;
  const result: WhatIf = { owners: [], deals: [] };
  const phones = new Set([...before.state.customers.keys(), ...after.state.customers.keys()]);
  for (const phone of [...phones].sort()) {
    const a = ownerOf(before.state, phone, end);
    const b = ownerOf(after.state, phone, end);
    if (a.owner !== b.owner) result.owners.push({ customer: phone, name: before.state.customers.get(phone)?.name, before: a.owner, after: b.owner, beforeBasis: a.basis?.clause, afterBasis: b.basis?.clause });
  }
  const deals = new Set([...before.state.deals.keys(), ...after.state.deals.keys()]);
  for (const id of [...deals].sort()) {
    const a = dealView(before.state, id);
    const b = dealView(after.state, id);
    const sa = a ? { performance: a.performance, commission: a.commission } : null;
    const sb = b ? { performance: b.performance, commission: b.commission } : null;
    if (JSON.stringify(sa) !== JSON.stringify(sb)) result.deals.push({ deal: id, before: sa, after: sb, beforeBasis: a?.split.performanceBasis.clause, afterBasis: b?.split.performanceBasis.clause });
  }
  if (values.json) {
    write(JSON.stringify(result, null, 2));
    return 0;
  }
  const zh = lang === 'zh';
  const staff = (id: string | null) => (id ? (source.staffNames.get(id) ?? id) : zh ? '无（公客池）' : 'none (pool)');
  write(`${zh ? '按' : 'Under'} ${values.policy}${values.set?.length ? ` (${values.set.join(', ')})` : ''} ${zh ? '重放' : 'replayed'}: ${result.owners.length} ${zh ? '位客户归属改变' : 'owners change'}, ${result.deals.length} ${zh ? '笔成交分配改变' : 'deal splits change'}`);
  for (const o of result.owners) {
    write(`  ${o.name ?? ''} ${o.customer}: ${staff(o.before)} → ${staff(o.after)}`);
    if (o.beforeBasis) write(`      ${zh ? '原依据' : 'was'} ${clauseText(o.beforeBasis, lang)}`);
    if (o.afterBasis) write(`      ${zh ? '新依据' : 'now'} ${clauseText(o.afterBasis, lang)}`);
  }
  for (const d of result.deals) {
    write(`  ${zh ? '成交' : 'deal'} ${d.deal}: ${JSON.stringify(d.before)} → ${JSON.stringify(d.after)}`);
    if (d.beforeBasis) write(`      ${zh ? '原依据' : 'was'} ${clauseText(d.beforeBasis, lang)}`);
    if (d.afterBasis) write(`      ${zh ? '新依据' : 'now'} ${clauseText(d.afterBasis, lang)}`);
  }
  return 0;
}
