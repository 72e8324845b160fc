import { z } from "zod";

/**
 * The `attestation` section of auditpack.config.yaml: who signs the report package's assertions.
 * `management` is the assessed entity's assertion that the controls operated over the period;
 * `assessor` is the assessor (a QSA, an internal auditor) who reviewed the package. Each names the
 * person, their role, their organisation and, once they sign, the date; `statement` replaces the
 * template's wording (templates/report/text.yaml). A party left out, or a date left out, is
 * printed as blank lines to sign on paper.
 */

/** A calendar date written as YYYY-MM-DD (YAML may already have read it as a Date). */
const isoDate = z.preprocess(
  (value) =>
    value instanceof Date && !Number.isNaN(value.getTime()) ? value.toISOString().slice(0, 10) : value,
  z
    .string({ error: "a date as YYYY-MM-DD, e.g. 2026-10-15" })
    .regex(/^\d{4}-\d{2}-\d{2}$/, "a date as YYYY-MM-DD, e.g. 2026-10-15")
    .refine(
      (d) => {
        // Runs after a failed regex too: only a well-formed, real date passes.
        const t = Date.parse(`${d}T00:00:00Z`);
        return (
          !/^\d{4}-\d{2}-\d{2}$/.test(d) || (Number.isFinite(t) && new Date(t).toISOString().startsWith(d))
        );
      },
      { message: "not a calendar date" },
    ),
);

function required(what: string) {
  return z
    .string({
      error: (issue) =>
        issue.input === undefined ? `required: ${what}` : `${what}, as text (got ${typeof issue.input})`,
    })
    .trim()
    .min(1, `required: ${what} (it is empty)`)
    .max(200, `${what} is longer than 200 characters`);
}

function partySchema(who: string) {
  return z.strictObject({
    name: required(`the name of the ${who} who signs`),
    role: required(`the ${who}'s role or title`),
    organisation: required(`the ${who}'s organisation`),
    date: isoDate.optional().describe("The day they sign; left out, the date line stays blank"),
    statement: z
      .string()
      .trim()
      .min(40, "a statement of at least 40 characters, or leave it out to use the template's")
      .optional()
      .describe("Replaces the template's statement; placeholders such as {period} are filled"),
  });
}

export const AttestationSchema = z
  .strictObject({
    management: partySchema("management representative").optional(),
    assessor: partySchema("assessor").optional(),
  })
  .describe("Who attests the report: the entity's management and the assessor");

export type AttestationConfig = z.infer<typeof AttestationSchema>;
export type AttestationParty = NonNullable<AttestationConfig["management"]>;
export const ATTESTATION_PARTIES = ["management", "assessor"] as const;
export type AttestationPartyName = (typeof ATTESTATION_PARTIES)[number];
