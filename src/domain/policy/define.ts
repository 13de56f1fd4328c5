// definePreset: a preset reads like its rulebook — each parameter with the
// clause it comes from. Where a rulebook is silent, the standard policy's
// choice fills the gap and says so.
import { type DecisionClauses, type ParameterId, type PolicyParameters, policyParameters } from './schema.ts';

export interface PresetDefinition {
  readonly id: string;
  readonly titleZh: string;
  readonly parameters: PolicyParameters;
  readonly clauses: DecisionClauses;
  /** Clauses of this rulebook the software cannot enforce, each with a one-line reason. */
  readonly notEnforceable: Readonly<Record<string, string>>;
  /** Parameters the rulebook is silent on, taken from the standard policy. */
  readonly fromStandard: readonly ParameterId[];
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
  const merged = { ...(base?.parameters ?? {}), ...own } as PolicyParameters;
  const parameters = policyParameters.parse(merged);
  const fromStandard = base ? (Object.keys(base.parameters) as ParameterId[]).filter((k) => !(k in own)) : [];
  return {
    id,
    titleZh,
    parameters,
    clauses: { ...(base?.clauses ?? {}), ...clauses } as DecisionClauses,
    notEnforceable,
    fromStandard,
  };
}
