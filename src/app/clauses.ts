// The rulebook catalogue (catalogue/rulebooks.yaml, a copy of shared/rulebooks.yaml): the one loader.
// `catalogue()` gives every clause with its rulebook (the CLI, tests); `loadClauses()` / `clauseText()`
// the texts reasons cite, from the build's precompiled copy when it was made from this very text.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { defaultClauseText } from '../domain/policy/schema.ts';
import type { ClauseText } from '../shared/api-answers.ts';

/** A clause's words in both languages (shared with the web app). */
export type { ClauseText };

/** A clause of the catalogue with its rulebook. */
export interface CatalogueClause extends ClauseText {
  id: string;
  modelable: boolean;
  rulebook: string;
  rulebookTitleZh: string;
}

const CATALOGUE = new URL('../../catalogue/rulebooks.yaml', import.meta.url);

interface CatalogueDoc {
  rulebooks?: { id?: string; title_zh?: string; clauses?: { id?: string; zh?: string; en?: string; modelable?: boolean }[] }[];
}

let full: Map<string, CatalogueClause> | undefined;

/** Every clause of the catalogue by id, with its rulebook (parsed once). */
export function catalogue(path: URL | string = CATALOGUE): Map<string, CatalogueClause> {
  if (full && path === CATALOGUE) return full;
  const out = new Map<string, CatalogueClause>();
  for (const book of (parse(readFileSync(path, 'utf8')) as CatalogueDoc).rulebooks ?? []) {
    for (const c of book.clauses ?? []) {
      if (c.id) out.set(c.id, { id: c.id, zh: String(c.zh ?? ''), en: String(c.en ?? ''), modelable: c.modelable === true, rulebook: String(book.id ?? ''), rulebookTitleZh: String(book.title_zh ?? '') });
    }
  }
  if (path === CATALOGUE) full = out;
  return out;
}

let cache: Map<string, ClauseText> | undefined;

export function loadClauses(path: URL = CATALOGUE): Map<string, ClauseText> {
  if (cache) return cache;
  const out = new Map<string, ClauseText>();
  try {
    const text = readFileSync(path, 'utf8');
    for (const [id, zh, en] of precompiled(text) ?? clausesOf(text)) out.set(id, { zh, en });
  } catch {
    // Without the catalogue, reasons name the clause id only.
  }
  cache = out;
  return out;
}

/** Every clause of the catalogue's text as [id, zh, en]. */
export function clausesOf(yamlText: string): [string, string, string][] {
  const doc = parse(yamlText) as CatalogueDoc;
  const out: [string, string, string][] = [];
  for (const book of doc.rulebooks ?? []) {
    for (const c of book.clauses ?? []) if (c.id) out.push([c.id, String(c.zh ?? ''), String(c.en ?? '')]);
  }
  return out;
}

/**
 * The clauses the build parsed (dist/cli/clauses.json, scripts/build-server.mjs),
 * when they were parsed from this very text: parsing the YAML takes a server
 * start some 150 ms, reading its digest and the JSON a few.
 */
function precompiled(yamlText: string): [string, string, string][] | undefined {
  try {
    const built = JSON.parse(readFileSync(new URL('../../dist/cli/clauses.json', import.meta.url), 'utf8')) as { sha256?: string; clauses?: [string, string, string][] };
    return built.sha256 === createHash('sha256').update(yamlText).digest('hex') ? built.clauses : undefined;
  } catch {
    return undefined;
  }
}

export function clauseText(id: string | null | undefined): ClauseText | null {
  if (!id) return null;
  // `<rulebook>:default`: the rulebook is silent, the standard choice applies (本制度未规定，按系统推荐).
  return loadClauses().get(id) ?? defaultClauseText(id);
}
