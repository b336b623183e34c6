/**
 * Checker evidence as the report reads it. result.json keeps evidence as free-form JSON, so each
 * checker's is checked against the evidence schema its definition declares (leniently: only the
 * fields drawn, extra fields ignored) before a section uses it; a section whose evidence does not
 * parse says so instead of breaking the report.
 */
import type { z } from 'zod';
import { type CheckerName, checkerDefinitions } from '../../harness/checkers/registry.ts';

/** The evidence schema checker `name` declares. */
type EvidenceSchema<N extends CheckerName> = (typeof checkerDefinitions)[N]['evidence'];

/** The evidence of checker `name` as its definition shapes it. */
export type Evidence<N extends CheckerName> = z.output<EvidenceSchema<N>>;

/**
 * The evidence of `check` (a result of checker `name`) in that checker's declared shape, or
 * undefined when there is no such check or its evidence is not in that shape (an older or edited result).
 */
export function evidenceOf<N extends CheckerName>(
  check: { evidence: Record<string, unknown> } | undefined,
  name: N,
): Evidence<N> | undefined {
  if (!check) return undefined;
  const schema: z.ZodType = checkerDefinitions[name].evidence;
  const parsed = schema.safeParse(check.evidence);
  return parsed.success ? (parsed.data as Evidence<N>) : undefined;
}
