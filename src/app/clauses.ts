// Clause texts from catalogue/rulebooks.yaml, for reasons in words.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

export interface ClauseText {
  zh: string;
  en: string;
}

let cache: Map<string, ClauseText> | undefined;

export function loadClauses(path = new URL('../../catalogue/rulebooks.yaml', import.meta.url)): Map<string, ClauseText> {
  if (cache) return cache;
  const out = new Map<string, ClauseText>();
  try {
    const doc = parse(readFileSync(path, 'utf8')) as { rulebooks?: { clauses?: { id?: string; zh?: string; en?: string }[] }[] };
    for (const book of doc.rulebooks ?? []) {
      for (const c of book.clauses ?? []) if (c.id) out.set(c.id, { zh: String(c.zh ?? ''), en: String(c.en ?? '') });
    }
  } catch {
    // Without the catalogue, reasons name the clause id only.
  }
  cache = out;
  return out;
}

export function clauseText(id: string | null | undefined): ClauseText | null {
  if (!id) return null;
  return loadClauses().get(id) ?? null;
}
