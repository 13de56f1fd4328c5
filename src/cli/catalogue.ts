// Clause texts for explanations on the command line: `id「text」`. The catalogue
// itself is loaded once, by src/app/clauses.ts (the one loader).
import { catalogue, type CatalogueClause } from '../app/clauses.ts';
import { defaultClauseText } from '../domain/policy/schema.ts';

export { catalogue };
export type ClauseText = CatalogueClause;

export function clauseText(id: string, lang: 'zh' | 'en'): string {
  const c = catalogue().get(id);
  const silent = c ? null : defaultClauseText(id);
  if (silent) return `${id}「${lang === 'zh' ? silent.zh : silent.en}」`;
  if (!c) return id;
  return `${id}「${lang === 'zh' ? c.zh : c.en}」`;
}
