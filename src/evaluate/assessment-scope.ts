import type { CatalogRequirement } from "../catalog/types.js";
import type { AssessmentConfig } from "../config/assessment.js";
import type { Histories } from "../state/history.js";
import type { StateBase } from "../state/types.js";
import { type RoleSubject, roleKindOf, roleOf, unmatchedRules } from "./population.js";
import type { RequirementResult, ScopeStatement } from "./types.js";

/**
 * The assessment's scope as findings.json states it (entity type, CDE, accounts and regions with
 * their reasons, the role of every resource that has one), and the requirements the entity type
 * takes out of scope. Pure over the config and the evaluated histories.
 */

/** Why a requirement does not apply to the assessed entity, or undefined when it does. */
export function notApplicableFor(
  requirement: Pick<CatalogRequirement, "serviceProviderOnly">,
  assessment: AssessmentConfig | undefined,
): string | undefined {
  if (requirement.serviceProviderOnly && assessment?.entityType === "merchant") {
    return "applies to service providers only; the assessed entity is a merchant (assessment.entityType)";
  }
  return undefined;
}

/** Resource types whose resources carry roles, in the order the statement lists them. */
const ROLE_TYPES = ["cognito_user_pool", "s3_bucket", "config_rule_evaluation"] as const;

/** A resource of a role-carrying type, as one account's histories show it (gathered per batch). */
export interface RoleSighting {
  typeOrder: number;
  resourceType: string;
  subject: RoleSubject;
  resourceId: string;
  name: string;
  account: string;
  region: string;
}

/**
 * The role-carrying resources of these accounts and regions, type by type. Evaluation gathers them
 * per account batch and the statement is made once from all of them (scopeStatement).
 */
export function roleSightings(
  histories: Histories,
  scope: { accounts: string[]; regions: string[] },
): RoleSighting[] {
  const out: RoleSighting[] = [];
  ROLE_TYPES.forEach((type, typeOrder) => {
    for (const account of scope.accounts) {
      for (const region of scope.regions) {
        const history = histories.get(type as never, account, region);
        for (const resource of history?.resources.values() ?? []) {
          const states = resource.observations
            .map((o) => o.state as StateBase | undefined)
            .filter((s): s is StateBase => s !== undefined);
          const last = states.at(-1);
          if (!last) continue;
          const state = last as unknown as RoleSubject;
          if (!roleKindOf(type, state)) continue;
          // Only what roles are matched on: a sighting travels in a findings partial.
          const subject: RoleSubject = JSON.parse(
            JSON.stringify({
              id: state.id,
              name: state.name,
              arn: state.arn,
              tags: state.tags,
              userPoolId: state.userPoolId,
              userPoolName: state.userPoolName,
              resourceType: state.resourceType,
              resourceId: state.resourceId,
            }),
          );
          // A Config rule evaluation stands for the resource it evaluated (one bucket, many rules).
          const resourceId = subject.resourceId ?? last.arn ?? last.id;
          const name = subject.resourceId ?? last.name;
          out.push({ typeOrder, resourceType: type, subject, resourceId, name, account, region });
        }
      }
    }
  });
  return out;
}

export function scopeStatement(
  assessment: AssessmentConfig,
  sightings: readonly RoleSighting[],
  requirements: readonly Pick<RequirementResult, "id" | "serviceProviderOnly">[],
): ScopeStatement {
  const roles: ScopeStatement["roles"] = [];
  const listed = new Set<string>();
  const seen: Array<{ resourceType: string; subject: RoleSubject }> = [];
  // Stable by type: batches come in account order, so this is type, then account, then region.
  const ordered = [...sightings].sort((a, b) => a.typeOrder - b.typeOrder);
  for (const { resourceType, subject, resourceId, name, account, region } of ordered) {
    const key = `${account}/${region}/${resourceId}`;
    if (listed.has(key)) continue;
    listed.add(key);
    seen.push({ resourceType, subject });
    const { role, source } = roleOf(assessment, resourceType, subject);
    if (role) roles.push({ resource: resourceId, name, account, region, role, source });
  }
  const statement: ScopeStatement = {
    entityType: assessment.entityType ?? "unstated",
    accounts: assessment.accounts,
    regions: assessment.regions,
    roles,
    emptyRoleRules: unmatchedRules(assessment, seen),
    notApplicable: requirements
      .filter((r) => r.serviceProviderOnly && assessment.entityType === "merchant")
      .map((r) => r.id),
  };
  if (assessment.cde) statement.cde = assessment.cde;
  return statement;
}
