// The reasons in words, Chinese and English, that the judge and the card give
// beside the clause they rest on.
import type { OwnerView } from '../domain/engine/index.ts';
import type { ClauseText } from './clauses.ts';

export function ownerReason(view: OwnerView, text: ClauseText | null): { zh: string; en: string } {
  const clause = view.basis?.clause;
  const cite = (s: string) => (clause ? `${s}（${clause}${text ? `：${text.zh}` : ''}）` : s);
  const citeEn = (s: string) => (clause ? `${s} (${clause}${text ? `: ${text.en}` : ''})` : s);
  switch (view.status) {
    case 'none':
      return { zh: '无登记记录，为新客户', en: 'no record: a new customer' };
    case 'public':
      return { zh: cite('公客池客户，无归属'), en: citeEn('in the public pool, no owner') };
    case 'closed':
      return { zh: cite(`已成交，归属 ${view.owner}`), en: citeEn(`closed: belongs to ${view.owner}`) };
    case 'lapsed':
      return { zh: cite(`保护期已过，原归属 ${view.owner}`), en: citeEn(`protection ran out; last owner ${view.owner}`) };
    default:
      return { zh: cite(`保护期内，归属 ${view.owner}`), en: citeEn(`protected: belongs to ${view.owner}`) };
  }
}

export function judgeReason(receiver: string | null, owner: string | null, turn: boolean, clause: string, text: ClauseText | null): { zh: string; en: string } {
  const zh = `由 ${receiver ?? '（无人可接）'} 接待，归属 ${owner ?? '无'}${turn ? '，计轮次' : '，不计轮次'}；依据 ${clause}${text ? `：${text.zh}` : ''}`;
  const en = `received by ${receiver ?? '(nobody available)'}, belongs to ${owner ?? 'nobody'}, ${turn ? 'uses a rotation turn' : 'no rotation turn'}; basis ${clause}${text ? `: ${text.en}` : ''}`;
  return { zh, en };
}
