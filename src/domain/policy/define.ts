// definePreset: a preset reads like its rulebook — each parameter with the
// clause it comes from. Where a rulebook is silent, the standard policy's
// choice fills the gap and says so: the parameter (or decision) cites
// `<rulebook>:default` (本制度未规定，按系统推荐), never another rulebook's clause.
import { type DecisionClauses, type DecisionKey, type ParameterId, type PolicyParameters, DECISIONS, defaultClause, policyParameters } from './schema.ts';

export interface PresetDefinition {
  readonly id: string;
  readonly titleZh: string;
  readonly parameters: PolicyParameters;
  readonly clauses: DecisionClauses;
  /** Clauses of this rulebook the software cannot enforce, each with a one-line reason. */
  readonly notEnforceable: Readonly<Record<string, string>>;
  /** Parameters the rulebook is silent on, taken from the standard policy (cited as `<id>:default`). */
  readonly fromStandard: readonly ParameterId[];
  /** Decisions the rulebook states no clause for, taken from the standard policy (cited as `<id>:default`). */
  readonly decisionsFromStandard: readonly DecisionKey[];
}

type Entry<K extends ParameterId> = PolicyParameters[K];

export function definePreset(
  id: string,
  titleZh: string,
  base: PresetDefinition | null,
  own: { [K in ParameterId]?: Entry<K> },
  clauses: Partial<DecisionClauses>,
  notEnforceable: Record<string, string> = {},
): PresetDefinition {
  const fromStandard = base ? (Object.keys(base.parameters) as ParameterId[]).filter((k) => !(k in own)) : [];
  const decisionsFromStandard = base ? DECISIONS.filter((k) => !(k in clauses)) : [];
  const marker = defaultClause(id);
  const borrowed = Object.fromEntries(fromStandard.map((k) => [k, { value: base!.parameters[k].value, clause: marker, note: `standard: ${base!.parameters[k].clause}` }]));
  const parameters = policyParameters.parse({ ...borrowed, ...own });
  const borrowedDecisions = Object.fromEntries(decisionsFromStandard.map((k) => [k, marker]));
  return {
    id,
    titleZh,
    parameters,
    clauses: { ...borrowedDecisions, ...clauses } as DecisionClauses,
    notEnforceable,
    fromStandard,
    decisionsFromStandard,
  };
}
