import { z } from "zod";
import { ROLE_KINDS } from "./roles.js";

/**
 * The `assessment` section of auditpack.config.yaml: the scope of the assessment as data. Who is
 * assessed (merchant or service provider), what the cardholder data environment is, why each account
 * and region is in scope, and which resources play which role (a workforce or a consumer user pool,
 * a log-archive or a cardholder-data bucket). Evaluation selects each requirement's population by
 * role (src/evaluate/population.ts); a rule that matches nothing is a stated empty population.
 */

export const ENTITY_TYPES = ["merchant", "service-provider"] as const;
export type EntityType = (typeof ENTITY_TYPES)[number];

const accountId = z.string().regex(/^\d{12}$/, "an AWS account id is 12 digits");
const region = z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, "an AWS region name such as eu-west-1");
const pattern = z.string().min(1).describe("a name or id, `*` matching any run of characters");

function roleRule<const R extends readonly [string, ...string[]]>(roles: R, noun: string) {
  return z
    .strictObject({
      role: z.enum(roles, {
        error: (issue) => `unknown role ${JSON.stringify(issue.input)} for ${noun}: use ${roles.join(", ")}`,
      }),
      name: pattern.optional().describe(`glob over the ${noun}'s name`),
      id: pattern.optional().describe(`glob over the ${noun}'s id or ARN`),
      tag: z
        .record(z.string().min(1), z.string())
        .optional()
        .describe("every listed tag key must carry this value"),
    })
    .refine((r) => r.name !== undefined || r.id !== undefined || r.tag !== undefined, {
      message: "give name, id or tag to say which resources play this role",
    });
}

export const AssessmentSchema = z.strictObject({
  entityType: z
    .enum(ENTITY_TYPES, {
      error: (issue) => `entity type ${JSON.stringify(issue.input)} is not one of ${ENTITY_TYPES.join(", ")}`,
    })
    .optional()
    .describe("merchant: service-provider-only requirements are NOT_APPLICABLE"),
  cde: z.string().min(10).optional().describe("The cardholder data environment, in a sentence or two"),
  accounts: z
    .array(z.strictObject({ id: accountId, reason: z.string().min(3) }))
    .default([])
    .describe("Why each account is in scope"),
  regions: z
    .array(z.strictObject({ region, reason: z.string().min(3) }))
    .default([])
    .describe("Why each region is in scope"),
  roles: z
    .strictObject({
      userPools: z.array(roleRule(ROLE_KINDS.userPool, "a user pool")).default([]),
      buckets: z.array(roleRule(ROLE_KINDS.bucket, "a bucket")).default([]),
    })
    .default({ userPools: [], buckets: [] })
    .describe("Resource roles; the first matching rule wins; an unmatched user pool is workforce"),
});

export type AssessmentConfig = z.infer<typeof AssessmentSchema>;
export type RoleRule =
  | AssessmentConfig["roles"]["userPools"][number]
  | AssessmentConfig["roles"]["buckets"][number];
