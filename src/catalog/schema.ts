import { z } from "zod";
import { ROLES } from "../config/roles.js";
import type { Catalog } from "./types.js";

/**
 * Schemas of controls/<framework>.yaml and controls/crosswalk.yaml. Every object is strict, so a
 * misspelt key is an error naming its path rather than a silently ignored field. Rules that need
 * the whole catalog (unique ids, parents, "checks or manual", per-framework id forms) are
 * refinements; the exported JSON Schema (schemas/catalog.schema.json) carries the structure only.
 */

/** How each known framework numbers its requirements, so a typo such as "8,3,6" is caught. */
export const REQUIREMENT_ID_FORMS: Readonly<Record<string, { pattern: RegExp; example: string }>> = {
  "pci-dss-4.0.1": { pattern: /^(\d{1,2}|A[1-3])(\.\d{1,2}){0,3}$/, example: "8.3.10.1" },
  "soc2-2017": { pattern: /^(CC[1-9]|A1|C1|PI1|P[1-8])(\.\d{1,2})?$/, example: "CC6.1" },
  "iso27001-2022": { pattern: /^(A\.[5-8](\.\d{1,2})?|([4-9]|10)(\.\d{1,2}){0,2})$/, example: "A.8.15" },
  "nist-800-53-r5": { pattern: /^[A-Z]{2}(-\d{1,2}(\(\d{1,2}\))?)?$/, example: "IA-2(1)" },
  "hipaa-security": {
    pattern:
      /^164\.3(0[2-9]|1[0-8])(\([a-z]\)(\(\d{1,2}\)(\((i|ii|iii|iv|v|vi|vii|viii|ix|x)\)(\([A-Z]\))?)?)?)?$/,
    example: "164.312(a)(2)(iii)",
  },
};

/** Any other framework: no spaces and no colon (the colon separates "<framework>:<id>"). */
const GENERIC_REQUIREMENT_ID = /^[A-Za-z0-9][A-Za-z0-9.()-]*$/;

export const FRAMEWORK_ID = /^[a-z][a-z0-9]*(-[a-z0-9.]+)*$/;
export const CHECK_ID = /^[a-z][a-z0-9]*(_[a-z0-9]+)+$/;

/** YAML reads an unquoted 8.1 as the number 8.1 (and 10.10 as 10.1), so ids must be quoted strings. */
const requirementIdString = z.string({
  error: (issue) =>
    typeof issue.input === "number" ? `write the id as a quoted string, e.g. "${issue.input}"` : undefined,
});

const requirementId = requirementIdString
  .min(1)
  .regex(GENERIC_REQUIREMENT_ID, "a requirement id has no spaces or colons, e.g. 8.3.6 or IA-2(1)");

export const FrameworkInfoSchema = z
  .strictObject({
    id: z
      .string()
      .regex(FRAMEWORK_ID, "a framework id is lower-case words joined by hyphens, e.g. pci-dss-4.0.1")
      .describe("Identifier used on the command line and in findings, e.g. pci-dss-4.0.1"),
    name: z.string().min(2),
    version: z.string().min(1),
    publisher: z.string().min(2),
    url: z.url().describe("Where the standard itself can be obtained"),
  })
  .describe("The framework this catalog maps");

export const CheckRefSchema = z
  .strictObject({
    id: z
      .string()
      .regex(
        CHECK_ID,
        "a check id is snake_case service_resource_property, e.g. cognito_user_pool_mfa_required",
      ),
    params: z
      .record(z.string(), z.json())
      .optional()
      .describe("This framework's parameter values for the check, e.g. { minLength: 12 }"),
    supporting: z
      .boolean()
      .optional()
      .describe(
        'A proxy, "supporting, not sufficient": it can fail the requirement but never make it PASS on its own',
      ),
  })
  .describe("An automated check that tests the requirement");

export const ManualSchema = z
  .strictObject({
    rationale: z
      .string()
      .min(10)
      .describe("Why the requirement (or the part the checks miss) is not automated"),
    evidenceHint: z.string().min(5).optional().describe("What a person should attach as evidence"),
  })
  .describe("A requirement assessed by a person");

export const RequirementSchema = z
  .strictObject({
    id: requirementId.describe('The standard\'s own numbering, quoted, e.g. "8.3.6"'),
    parent: requirementId.optional().describe("The id of the requirement or heading this one sits under"),
    title: z.string().min(3).max(120),
    description: z.string().min(10).describe("What it asks, in our own words (never the standard's text)"),
    checks: z
      .array(CheckRefSchema)
      .min(1, "list at least one check, or remove `checks` and give `manual`")
      .optional(),
    manual: ManualSchema.optional(),
    applicability: z
      .string()
      .min(10)
      .optional()
      .describe("An applicability note of the standard that changes what is assessed (in our own words)"),
    serviceProviderOnly: z
      .boolean()
      .optional()
      .describe("Applies to service providers only: NOT_APPLICABLE when the assessed entity is a merchant"),
    population: z
      .enum(ROLES as [string, ...string[]], {
        error: () => `a population is a resource role: ${ROLES.join(", ")}`,
      })
      .optional()
      .describe("The resource role its checks select, e.g. workforce (user pools of the entity's own staff)"),
    testingProcedures: z
      .array(z.string().regex(GENERIC_REQUIREMENT_ID, "a testing procedure id such as 8.3.6.a"))
      .min(1)
      .optional()
      .describe("The standard's testing procedure ids for this requirement, e.g. [8.3.6.a, 8.3.6.b]"),
  })
  .describe("A requirement, or a heading when it has neither checks nor manual and others name it as parent");

/** Stable text of a check reference, to spot the same check listed twice with the same parameters. */
export function checkRefKey(ref: { id: string; params?: Record<string, unknown> }): string {
  return ref.params === undefined ? ref.id : `${ref.id} ${stableJson(ref.params)}`;
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

const CatalogShape = z.strictObject({
  framework: FrameworkInfoSchema,
  requirements: z.array(RequirementSchema).min(1),
});

type CatalogInput = z.infer<typeof CatalogShape>;

function refineCatalog(catalog: CatalogInput, ctx: z.core.$RefinementCtx<CatalogInput>): void {
  const form = REQUIREMENT_ID_FORMS[catalog.framework.id];
  const firstIndex = new Map<string, number>();
  const parents = new Set(catalog.requirements.flatMap((r) => (r.parent === undefined ? [] : [r.parent])));
  const procedures = new Set<string>();

  catalog.requirements.forEach((req, index) => {
    const at = (...rest: (string | number)[]) => ["requirements", index, ...rest];
    if (form && !form.pattern.test(req.id)) {
      ctx.addIssue({
        code: "custom",
        path: at("id"),
        message: `"${req.id}" is not a ${catalog.framework.id} requirement id (expected the form ${form.example})`,
      });
    }
    const earlier = firstIndex.get(req.id);
    if (earlier !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: at("id"),
        message: `duplicate requirement id "${req.id}" (first at requirements[${earlier}])`,
      });
    } else {
      firstIndex.set(req.id, index);
    }
    // A parent must come first: this rules out cycles and lets documents render in file order.
    if (req.parent !== undefined && !firstIndex.has(req.parent)) {
      ctx.addIssue({
        code: "custom",
        path: at("parent"),
        message:
          req.parent === req.id
            ? `"${req.id}" cannot be its own parent`
            : `parent "${req.parent}" is not a requirement listed before "${req.id}"`,
      });
    }
    if (req.checks === undefined && req.manual === undefined && !parents.has(req.id)) {
      ctx.addIssue({
        code: "custom",
        path: at(),
        message: `"${req.id}" has neither \`checks\` nor \`manual\`: list its checks, or give a manual rationale`,
      });
    }
    req.testingProcedures?.forEach((procedure, tpIndex) => {
      const letter = procedure.startsWith(req.id) && /^\.[a-z]$/.test(procedure.slice(req.id.length));
      if (procedure !== req.id && !letter) {
        ctx.addIssue({
          code: "custom",
          path: at("testingProcedures", tpIndex),
          message: `testing procedure "${procedure}" is not "${req.id}" or "${req.id}.<letter>"`,
        });
      }
      if (procedures.has(procedure)) {
        ctx.addIssue({
          code: "custom",
          path: at("testingProcedures", tpIndex),
          message: `testing procedure "${procedure}" is listed twice`,
        });
      }
      procedures.add(procedure);
    });
    const seen = new Set<string>();
    req.checks?.forEach((check, checkIndex) => {
      const key = checkRefKey(check);
      if (seen.has(key)) {
        ctx.addIssue({
          code: "custom",
          path: at("checks", checkIndex),
          message: `check ${check.id} is listed twice with the same parameters in "${req.id}"`,
        });
      }
      seen.add(key);
    });
  });
}

export const CatalogFileSchema = CatalogShape.superRefine(refineCatalog).describe(
  "An auditpack control catalog: one framework version, its requirements and the checks that test them",
);

export type CatalogFile = z.infer<typeof CatalogFileSchema>;

// The loader hands a parsed file out as a Catalog: keep the two shapes compatible.
const _catalogFileIsCatalog = (file: CatalogFile): Catalog => file;
void _catalogFileIsCatalog;

const qualifiedRequirementId = z
  .string()
  .regex(
    /^[a-z][a-z0-9]*(-[a-z0-9.]+)*:[A-Za-z0-9][A-Za-z0-9.()-]*$/,
    'a "<framework>:<id>", e.g. soc2-2017:CC6.1',
  );

export const CrosswalkFileSchema = z
  .strictObject({
    hub: z
      .string()
      .regex(FRAMEWORK_ID, "a framework id, e.g. pci-dss-4.0.1")
      .describe("The framework the links start from"),
    links: z
      .record(requirementIdString.min(1), z.array(qualifiedRequirementId).min(1))
      .describe('Hub requirement id -> the "<framework>:<id>" requirements with the same intent'),
  })
  .superRefine((crosswalk, ctx) => {
    for (const [from, targets] of Object.entries(crosswalk.links)) {
      const seen = new Set<string>();
      targets.forEach((target, index) => {
        if (target.startsWith(`${crosswalk.hub}:`)) {
          ctx.addIssue({
            code: "custom",
            path: ["links", from, index],
            message: `${target} links the hub to itself; list requirements of other frameworks`,
          });
        }
        if (seen.has(target)) {
          ctx.addIssue({
            code: "custom",
            path: ["links", from, index],
            message: `${target} is listed twice`,
          });
        }
        seen.add(target);
      });
    }
  })
  .describe("Links from the hub framework's requirements to other frameworks' requirements");

export type CrosswalkFile = z.infer<typeof CrosswalkFileSchema>;

/** JSON Schemas of both files (structure only; the loader applies the cross-field rules). */
export function catalogJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(CatalogFileSchema, { io: "input" }),
    $id: "urn:auditpack:schema:catalog",
    title: "auditpack control catalog",
  };
}

export function crosswalkJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(CrosswalkFileSchema, { io: "input" }),
    $id: "urn:auditpack:schema:crosswalk",
    title: "auditpack crosswalk",
  };
}
