import type { TrailState } from "../../state/types.js";
import type { CheckOutcome } from "../types.js";
import { trailLabel } from "../util.js";

/**
 * An organisation trail seen from a member account whose management account is not in the
 * evidence: a stated limitation (MANUAL), neither a FAIL nor NOT_APPLICABLE. Undefined otherwise.
 */
export function coverageVerdict(state: TrailState): CheckOutcome | undefined {
  if (state.coverage?.judgedFrom !== "unjudged") return undefined;
  return {
    status: "MANUAL",
    reason: `${trailLabel(state)} records this region, but is ${state.coverage.limitation}`,
  };
}
