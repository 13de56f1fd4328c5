// The rulebook catalogue (catalogue/rulebooks.yaml, a copy of shared/rulebooks.yaml):
// clause texts for explanations and the UI.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { defaultClauseText } from '../domain/policy/schema.ts';

export interface ClauseText {
  id: string;
  zh: string;
  en: string;
  modelable: boolean;
  rulebook: string;
  rulebookTitleZh: string;
}

let cache: Map<string, ClauseText> | undefined;

export function catalogue(): Map<string, ClauseText> {
  if (cache) return cache;
  const file = fileURLToPath(new URL('../../catalogue/rulebooks.yaml', import.meta.url));
  const doc = parse(readFileSync(file, 'utf8')) as { rulebooks: { id: string; title_zh: string; clauses: { id: string; zh: string; en: string; modelable: boolean }[] }[] };
  cache = new Map();
  for (const book of doc.rulebooks) for (const c of book.clauses) cache.set(c.id, { ...c, rulebook: book.id, rulebookTitleZh: book.title_zh });
  return cache;
}

export function clauseText(id: string, lang: 'zh' | 'en'): string {
  const c = catalogue().get(id);
  const silent = c ? null : defaultClauseText(id);
  if (silent) return `${id}「${lang === 'zh' ? silent.zh : silent.en}」`;
  if (!c) return id;
  return `${id}「${lang === 'zh' ? c.zh : c.en}」`;
}
