import { globToRegExp } from "../checks/util.js";
import type { AssessmentConfig, RoleRule } from "../config/assessment.js";
import { DEFAULT_ROLE, kindOfRole, ROLES, type Role, type RoleKind } from "../config/roles.js";

/**
 * Which role a resource plays in the assessment's scope, and so whether a requirement's population
 * (catalog `population: workforce`) includes it. Pure: the scope (config `assessment`) and one
 * resource state in, a role out.
 */

/** The role kind of each resource type that has roles; other types are in every population. */
const KIND_OF_TYPE: Readonly<Record<string, RoleKind>> = {
  cognito_user_pool: "userPool",
  cognito_user_pool_client: "userPool",
  s3_bucket: "bucket",
};

/**
 * The role kind of a resource. A Config rule evaluation takes the kind of the resource it evaluated
 * (an S3 bucket's evaluation is a bucket), so a cardholder-data bucket is not judged as a log store.
 * Without a subject: the kind a resource type's resources may have.
 */
export function roleKindOf(resourceType: string, subject?: RoleSubject): RoleKind | undefined {
  if (resourceType === "config_rule_evaluation") {
    if (subject === undefined) return "bucket";
    return subject.resourceType === "AWS::S3::Bucket" ? "bucket" : undefined;
  }
  return KIND_OF_TYPE[resourceType];
}

/** The fields of a state that roles match on (a user pool's app client matches on its pool). */
export interface RoleSubject {
  id: string;
  name?: string;
  arn?: string;
  tags?: Record<string, string>;
  userPoolId?: string;
  userPoolName?: string;
  /** A Config rule evaluation: the evaluated resource's type and id (e.g. AWS::S3::Bucket, its name). */
  resourceType?: string;
  resourceId?: string;
}

function rulesOf(assessment: AssessmentConfig | undefined, kind: RoleKind): readonly RoleRule[] {
  if (!assessment) return [];
  return kind === "userPool" ? assessment.roles.userPools : assessment.roles.buckets;
}

function matches(rule: RoleRule, subject: RoleSubject): boolean {
  const name = subject.resourceId ?? subject.userPoolName ?? subject.name;
  const ids = [subject.resourceId ?? subject.userPoolId ?? subject.id, subject.arn].filter((v): v is string =>
    Boolean(v),
  );
  if (rule.name !== undefined && !(name !== undefined && globToRegExp(rule.name).test(name))) return false;
  if (rule.id !== undefined && !ids.some((id) => globToRegExp(rule.id!).test(id))) return false;
  if (rule.tag !== undefined) {
    for (const [key, value] of Object.entries(rule.tag)) if (subject.tags?.[key] !== value) return false;
  }
  return true;
}

export interface RoleAssignment {
  role: Role | undefined;
  /** "assessment.roles.userPools[1]", or "default" when no rule matched. */
  source: string;
}

/** The role of a resource: the first matching rule's, else its kind's default (user pools: workforce). */
export function roleOf(
  assessment: AssessmentConfig | undefined,
  resourceType: string,
  subject: RoleSubject,
): RoleAssignment {
  const kind = roleKindOf(resourceType, subject);
  if (!kind) return { role: undefined, source: "none" };
  const rules = rulesOf(assessment, kind);
  const index = rules.findIndex((r) => matches(r, subject));
  if (index >= 0) {
    const field = kind === "userPool" ? "userPools" : "buckets";
    return { role: rules[index]!.role as Role, source: `assessment.roles.${field}[${index}]` };
  }
  return { role: DEFAULT_ROLE[kind], source: "default" };
}

/**
 * Whether a requirement's population includes the resource. No population, or a resource the
 * population's role does not describe (a trail under a workforce population): included. A kind
 * without a default role (buckets) for which the scope names no rule is not filtered: the scope
 * says nothing about it, and nothing is dropped silently.
 */
export function inPopulation(
  assessment: AssessmentConfig | undefined,
  population: string | undefined,
  resourceType: string,
  subject: RoleSubject,
): boolean {
  if (population === undefined) return true;
  if (!ROLES.includes(population as Role)) {
    throw new Error(`unknown population role ${population}`);
  }
  const kind = roleKindOf(resourceType, subject);
  if (kind !== kindOfRole(population as Role)) return true;
  if (DEFAULT_ROLE[kind] === undefined && rulesOf(assessment, kind).length === 0) return true;
  return roleOf(assessment, resourceType, subject).role === population;
}

/** Rules that matched none of the resources seen: each a stated empty population, not an error. */
export function unmatchedRules(
  assessment: AssessmentConfig | undefined,
  seen: ReadonlyArray<{ resourceType: string; subject: RoleSubject }>,
): string[] {
  if (!assessment) return [];
  const out: string[] = [];
  for (const kind of ["userPool", "bucket"] as const) {
    const field = kind === "userPool" ? "userPools" : "buckets";
    rulesOf(assessment, kind).forEach((rule, index) => {
      const any = seen.some(
        (s) => roleKindOf(s.resourceType, s.subject) === kind && matches(rule, s.subject),
      );
      if (!any) {
        const how = [
          rule.name !== undefined ? `name ${rule.name}` : "",
          rule.id !== undefined ? `id ${rule.id}` : "",
          rule.tag !== undefined ? `tag ${JSON.stringify(rule.tag)}` : "",
        ]
          .filter(Boolean)
          .join(", ");
        out.push(
          `assessment.roles.${field}[${index}] (${rule.role}: ${how}) matches no resource in the evidence`,
        );
      }
    });
  }
  return out;
}
