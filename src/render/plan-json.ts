// The JSON plan is a public contract (docs/plan-format.md): the Plan value as it is, keys in the order
// the planner builds them, versioned by format_version.
import type { Plan } from '../plan/types.js';

export function renderPlanJson(plan: Plan): string {
  return `${JSON.stringify(plan, null, 2)}\n`;
}
