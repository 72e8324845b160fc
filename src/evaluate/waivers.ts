import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseDocument } from "yaml";
import { z } from "zod";
import { FRAMEWORK_ALIASES } from "../catalog/load.js";
import type { Catalog } from "../catalog/types.js";
import { globToRegExp } from "../checks/util.js";
import { describeIssues } from "../config/load.js";
import { yamlToJs } from "../config/yaml-js.js";
import { UsageError } from "../errors.js";
import { isoSeconds } from "./period.js";
import type { ResourceFinding, Waiver } from "./types.js";
import { checkWaiverTargets } from "./waiver-targets.js";

export const DEFAULT_WAIVERS_FILE = "waivers.yaml";

/** A real calendar date: 2026-13-01 and 2026-02-30 match the pattern but name no day. */
function isCalendarDate(text: string): boolean {
  const ms = Date.parse(`${text.slice(0, 10)}T00:00:00Z`);
  return Number.isFinite(ms) && new Date(ms).toISOString().slice(0, 10) === text.slice(0, 10);
}

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "a date as yyyy-mm-dd")
  .refine(isCalendarDate, "not a calendar date (month 01-12, a day that month has)");
const instant = z.iso
  .datetime()
  .refine((t) => isCalendarDate(t) && Number.isFinite(Date.parse(t)), "not a calendar date and time");

export const WaiverSchema = z.strictObject({
  id: z.string().min(1),
  target: z
    .string()
    .regex(
      /^([a-z0-9][a-z0-9.-]*:[A-Za-z0-9.()-]+|[a-z][a-z0-9_]*)$/,
      'a requirement "<framework>:<id>" or a check id',
    ),
  resource: z.string().min(1).default("*"),
  reason: z.string().min(1),
  approver: z.string().min(1),
  expires: z.union([day, instant]),
});

export const WaiversFileSchema = z.array(WaiverSchema);

/** When a waiver stops applying: the end of its `expires` day (UTC), or the exact instant given. */
export function waiverEnd(w: Waiver): number {
  return /^\d{4}-\d{2}-\d{2}$/.test(w.expires)
    ? Date.parse(`${w.expires}T00:00:00Z`) + 86_400_000
    : Date.parse(w.expires);
}

/**
 * Load a waivers file. An explicitly named file must exist; the default one is optional. Malformed
 * content, an impossible date or a target no catalog or check knows is a UsageError naming the file
 * and the field.
 */
export function loadWaivers(file: string, options: { explicit: boolean; catalog?: Catalog }): Waiver[] {
  if (!existsSync(file)) {
    if (options.explicit)
      throw new UsageError(`waivers file ${file} not found`, { hint: "check the --waivers path" });
    return [];
  }
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (cause) {
    const reason =
      (cause as NodeJS.ErrnoException).code === "EISDIR" ? "is a directory" : (cause as Error).message;
    throw new UsageError(`cannot read waivers file ${file}: ${reason}`, {
      cause,
      hint: "--waivers takes a YAML file, e.g. waivers.yaml",
    });
  }
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length) {
    throw new UsageError(`waivers file ${file} is not valid YAML: ${doc.errors[0]!.message.split("\n")[0]}`);
  }
  const waivers = parseWaivers(yamlToJs(doc, `waivers file ${file}`) ?? [], file).map(resolveRetiredTarget);
  checkWaiverTargets(waivers, file, options.catalog);
  return waivers;
}

/** A waiver written for a retired framework id (pci-dss-4.0:8.3.6) targets its successor's requirement. */
function resolveRetiredTarget(w: Waiver): Waiver {
  const split = w.target.indexOf(":");
  const alias = split > 0 ? FRAMEWORK_ALIASES[w.target.slice(0, split)] : undefined;
  return alias ? { ...w, target: `${alias.to}${w.target.slice(split)}` } : w;
}

export function parseWaivers(raw: unknown, source: string): Waiver[] {
  const body =
    raw && typeof raw === "object" && !Array.isArray(raw) && "waivers" in raw
      ? (raw as { waivers: unknown }).waivers
      : raw;
  const result = WaiversFileSchema.safeParse(body);
  if (!result.success) {
    const lines = describeIssues(result.error).map((l) => `  - ${l}`);
    throw new UsageError(`invalid waivers file ${source}:\n${lines.join("\n")}`, {
      hint: "each waiver needs id, target (pci-dss-4.0.1:8.3.4 or a check id), resource (glob), reason, approver, expires (yyyy-mm-dd)",
    });
  }
  const ids = new Set<string>();
  for (const [i, w] of result.data.entries()) {
    if (ids.has(w.id))
      throw new UsageError(`invalid waivers file ${source}:\n  - [${i}].id: duplicate waiver id "${w.id}"`);
    ids.add(w.id);
  }
  return result.data;
}

export const defaultWaiversPath = (configDir: string): string => path.join(configDir, DEFAULT_WAIVERS_FILE);

/**
 * Apply waivers to a finding in place. A matching waiver that is still valid at the period's end
 * keeps the finding, marks it waived (status NOT_APPLICABLE, the original in waiver.originalStatus);
 * an expired one does not apply and the reason says so. PASS and NOT_APPLICABLE findings need none.
 */
export function applyWaivers(
  finding: ResourceFinding & { name?: string },
  targets: { requirement: string; check: string },
  waivers: readonly Waiver[],
  periodEnd: number,
): void {
  if (finding.status !== "FAIL" && finding.status !== "ERROR") return;
  const names = [finding.resource, finding.name].filter((n): n is string => Boolean(n));
  const matching = waivers.filter(
    (w) =>
      (w.target === targets.requirement || w.target === targets.check) &&
      names.some((n) => globToRegExp(w.resource).test(n)),
  );
  const valid = matching.find((w) => waiverEnd(w) >= periodEnd);
  if (valid) {
    finding.waiver = {
      id: valid.id,
      reason: valid.reason,
      approver: valid.approver,
      expires: valid.expires,
      originalStatus: finding.status,
    };
    finding.reason = `waived by ${valid.id} (approved by ${valid.approver}, expires ${valid.expires}): ${valid.reason}; originally ${finding.status}: ${finding.reason}`;
    finding.status = "NOT_APPLICABLE";
    return;
  }
  const expired = matching[0];
  if (expired)
    finding.reason = `${finding.reason} (waiver ${expired.id} expired ${isoSeconds(waiverEnd(expired))}, before the period ended; not applied)`;
}
