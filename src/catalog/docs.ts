import { childrenOf, type RequirementKind, requirementKind } from "./load.js";
import type { Catalog, CatalogRequirement, CheckRef } from "./types.js";

/**
 * docs/CONTROLS.md, generated from the catalogs so the document can never drift from the data
 * (test/catalog/generated.test.ts fails when the committed copy is stale).
 */

/** "minLength: 12", "events: [root_usage, iam_policy_changes]" */
export function formatParams(params: Record<string, unknown> | undefined): string {
  if (!params) return "";
  const value = (v: unknown): string =>
    Array.isArray(v)
      ? `[${v.map(value).join(", ")}]`
      : typeof v === "object" && v !== null
        ? JSON.stringify(v)
        : String(v);
  return Object.entries(params)
    .map(([k, v]) => `${k}: ${value(v)}`)
    .join(", ");
}

export function formatCheckRef(check: CheckRef): string {
  const params = formatParams(check.params);
  const text = params ? `\`${check.id}\` (${params})` : `\`${check.id}\``;
  return check.supporting ? `${text} [supporting, not sufficient]` : text;
}

/** Text for table cells and single lines: no pipes or line breaks. */
const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\s*\n\s*/g, " ");

function frameworkTitle(catalog: Catalog): string {
  return `${catalog.framework.name} ${catalog.framework.version}`;
}

function anchor(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9 -]/g, "")
    .replace(/ /g, "-");
}

function summaryTable(catalogs: Catalog[]): string[] {
  const lines = [
    "| Framework | Id | Requirements | Automated | Automated, with a manual part | Manual |",
    "| --- | --- | ---: | ---: | ---: | ---: |",
  ];
  for (const catalog of catalogs) {
    const kinds = catalog.requirements.map(requirementKind);
    const count = (kind: RequirementKind) => kinds.filter((k) => k === kind).length;
    const total = kinds.length - count("heading");
    const title = frameworkTitle(catalog);
    lines.push(
      `| [${cell(title)}](#${anchor(`${title} ${catalog.framework.id}`)}) | \`${catalog.framework.id}\` | ${total} | ${count("automated")} | ${count("partly-manual")} | ${count("manual")} |`,
    );
  }
  return lines;
}

function requirementBlock(req: CatalogRequirement): string[] {
  const kind = requirementKind(req);
  const label = `${kind === "manual" ? " — MANUAL" : ""}${req.serviceProviderOnly ? " — service providers only" : ""}`;
  const lines = [`**${req.id}** ${cell(req.title)}${label}  `, cell(req.description), ""];
  if (req.testingProcedures?.length) lines.push(`- Testing procedures: ${req.testingProcedures.join(", ")}`);
  if (req.population) lines.push(`- Population: resources in the role \`${req.population}\``);
  if (req.applicability) lines.push(`- Applicability: ${cell(req.applicability)}`);
  if (req.checks?.length) lines.push(`- Checks: ${req.checks.map(formatCheckRef).join("; ")}`);
  if (req.manual) {
    const prefix = kind === "manual" ? "Why manual" : "Manual part";
    const evidence = req.manual.evidenceHint ? ` Evidence to attach: ${cell(req.manual.evidenceHint)}` : "";
    lines.push(`- ${prefix}: ${cell(req.manual.rationale)}${evidence}`);
  }
  if (req.crosswalk?.length) lines.push(`- Crosswalk: ${req.crosswalk.join(", ")}`);
  lines.push("");
  return lines;
}

function catalogSection(catalog: Catalog): string[] {
  const { framework } = catalog;
  const lines = [
    `## ${frameworkTitle(catalog)} (\`${framework.id}\`)`,
    "",
    `Published by ${framework.publisher}: <${framework.url}>`,
    "",
  ];
  const depthOf = new Map<string, number>();
  const render = (req: CatalogRequirement) => {
    const depth = req.parent === undefined ? 0 : (depthOf.get(req.parent) ?? 0) + 1;
    depthOf.set(req.id, depth);
    if (requirementKind(req) === "heading") {
      const marks = "#".repeat(Math.min(3 + depth, 6));
      lines.push(`${marks} ${req.id} ${cell(req.title)}`, "", cell(req.description), "");
      if (req.applicability) lines.push(`Applicability: ${cell(req.applicability)}`, "");
    } else {
      lines.push(...requirementBlock(req));
    }
    for (const child of childrenOf(catalog, req.id)) render(child);
  };
  for (const root of catalog.requirements.filter((r) => r.parent === undefined)) render(root);
  return lines;
}

function crosswalkTable(catalogs: Catalog[]): string[] {
  const [hub, ...others] = catalogs;
  if (!hub?.requirements.some((r) => r.crosswalk?.length)) return [];
  const lines = [
    "## Crosswalk",
    "",
    `Links are kept in \`controls/crosswalk.yaml\` with ${frameworkTitle(hub)} as the hub; each other framework's`,
    "requirements show the hub requirements that link to them. A link means the same intent; the other",
    "framework's auditor still judges whether the evidence is sufficient.",
    "",
    `| ${frameworkTitle(hub)} | ${others.map((c) => cell(frameworkTitle(c))).join(" | ")} |`,
    `| --- | ${others.map(() => "---").join(" | ")} |`,
  ];
  for (const req of hub.requirements) {
    if (!req.crosswalk?.length) continue;
    const columns = others.map((c) =>
      req
        .crosswalk!.filter((link) => link.startsWith(`${c.framework.id}:`))
        .map((link) => link.slice(c.framework.id.length + 1))
        .join(", "),
    );
    lines.push(`| ${req.id} ${cell(req.title)} | ${columns.map(cell).join(" | ")} |`);
  }
  lines.push("");
  return lines;
}

function checkIndex(catalogs: Catalog[]): string[] {
  const uses = new Map<string, Map<string, string[]>>();
  for (const catalog of catalogs) {
    for (const req of catalog.requirements) {
      for (const check of req.checks ?? []) {
        const byFramework = uses.get(check.id) ?? new Map<string, string[]>();
        const ids = byFramework.get(catalog.framework.id) ?? [];
        if (!ids.includes(req.id)) ids.push(req.id);
        byFramework.set(catalog.framework.id, ids);
        uses.set(check.id, byFramework);
      }
    }
  }
  const lines = [
    "## Checks by requirement",
    "",
    "Where each check is used. Parameters differ per requirement; see the entries above.",
    "",
    `| Check | ${catalogs.map((c) => `\`${c.framework.id}\``).join(" | ")} |`,
    `| --- | ${catalogs.map(() => "---").join(" | ")} |`,
  ];
  for (const checkId of [...uses.keys()].sort()) {
    const byFramework = uses.get(checkId)!;
    lines.push(
      `| \`${checkId}\` | ${catalogs.map((c) => (byFramework.get(c.framework.id) ?? []).join(", ")).join(" | ")} |`,
    );
  }
  lines.push("");
  return lines;
}

/** How statuses roll up, the assessment vocabulary and populations (src/evaluate/rollup.ts, assessment.ts). */
function verdictRules(): string[] {
  return [
    "## How a status is decided",
    "",
    "One roll-up rule applies at every level of the hierarchy (`src/evaluate/rollup.ts`):",
    "",
    "1. A requirement's own status: NOT_APPLICABLE when it does not apply to the assessed entity",
    "   (`serviceProviderOnly` and `assessment.entityType: merchant`), and then neither does anything",
    "   under it; FAIL when any check fails (a supporting check's failure counts); ERROR when a check is",
    "   ERROR or a PASS lacks evidence for a member of the population or a stretch of the period; PASS",
    "   only when the checks pass, at least one of them is sufficient, and there is no manual part;",
    "   otherwise MANUAL, naming what a person must still assess. With no applicable check (an empty",
    "   population) it is NOT_APPLICABLE with the reason, or MANUAL when it has a manual part.",
    "2. A parent's status is the most severe of its own and its children's, in the order",
    "   FAIL > ERROR > MANUAL > PASS > NOT_APPLICABLE. A parent is never FAIL without a failing child",
    "   or check (8.3.10 follows 8.3.10.1, 10.4.1 follows 10.4.1.1), and never PASS while anything",
    "   under it is untested.",
    "3. The reason is the one that decided: a parent names the children that carry its status and",
    "   quotes the first one's reason.",
    "",
    "Checks marked **[supporting, not sufficient]** are proxies (e.g. a GuardDuty rule for network",
    "IDS/IPS): they can fail a requirement but never make it PASS on their own.",
    "",
    "### Assessment findings",
    "",
    "Beside the automated status, every requirement in `findings.json` carries `assessment.finding` in",
    "the standard's vocabulary (`src/evaluate/assessment.ts`):",
    "",
    "| Automated status | Assessment finding |",
    "| --- | --- |",
    "| PASS | In Place |",
    "| NOT_APPLICABLE | Not Applicable (with the reason: entity type, empty population) |",
    "| FAIL | Not in Place |",
    "| ERROR | Not Tested (the evidence could not show it either way) |",
    "| MANUAL, attachments cover the whole period | In Place, pending assessor review (`pendingReview: true`) |",
    "| MANUAL, nothing attached or part of the period uncovered | Not Tested |",
    "",
    "A parent takes the most severe finding of its own and its children's: Not in Place > Not Tested >",
    "In Place (pending review) > In Place > Not Applicable.",
    "",
    "### Scope and populations",
    "",
    "The config's `assessment` section states the entity type, the CDE, why each account and region is",
    "in scope, and resource roles by name, id or tag: user pools are `workforce`, `consumer`",
    "(cardholders) or `customer` (a service provider's customers); buckets `log-archive` or",
    "`cardholder-data`. A requirement's `population` selects the resources its checks judge; a user",
    "pool no rule names is workforce, and a population with no member is stated as such, naming the",
    "role it looked for. A rule that matches nothing is listed in `scope.assessment.emptyRoleRules`.",
    "",
  ];
}

/** The whole of docs/CONTROLS.md. `catalogs` in display order, the crosswalk hub first. */
export function renderControlsDoc(catalogs: Catalog[]): string {
  const lines = [
    "# Control catalogs",
    "",
    "<!-- Generated from controls/*.yaml by `npm run docs:controls`. Do not edit by hand. -->",
    "",
    "auditpack maps each framework requirement to automated checks, or marks it MANUAL with the reason",
    "and the evidence a person should attach. The catalogs are data in `controls/` (one YAML file per",
    "framework version, validated against `schemas/catalog.schema.json`); titles and descriptions are",
    "our own summaries, never the standards' text, so read the standard for the exact wording.",
    "",
    "- **Checks** name the check ids with this framework's parameter values. Where a standard leaves a",
    "  value to the organisation, the catalog uses the PCI DSS value; edit the catalog to change it.",
    "- **MANUAL** requirements cannot be read from AWS APIs: the rationale says why and what to attach",
    "  (`auditpack attach --control <framework>:<id> --file ...`).",
    "- **Manual part**: the checks cover part of the requirement and a person covers the rest.",
    "- Headings group the requirements under them and are assessed through those requirements.",
    "",
    "## Statuses and roll-up",
    "",
    "Every interval of a finding has one status; a finding, check, requirement and heading takes the",
    "worst status it contains, in this order (worst first):",
    "",
    "1. **FAIL**: the evidence shows the control failing in that stretch (an observed failure is a FAIL",
    "   even where coverage elsewhere is incomplete).",
    "2. **ERROR**: evidence that should exist could not be read (AccessDenied, throttling, a failed page).",
    "   Anything may hide there, and the collection needs fixing, so it outranks NOT_COVERED.",
    "3. **NOT_COVERED**: no evidence exists for the stretch and none can be obtained: auditpack was not",
    "   collecting, and AWS keeps no history of the setting (beyond CloudTrail's 90 days, outside what",
    "   AWS Config records). A stated limit of the assessment, not a failure of the tool.",
    "4. **PASS**: only where every second of the period is covered (observed, from a Config timeline, or",
    "   inferred from complete CloudTrail activity) and passing.",
    "5. **MANUAL**, then **NOT_APPLICABLE**.",
    "",
    "Each interval says how it is known (`basis`: observed, config-timeline, inferred-from-activity);",
    'see docs/EVIDENCE.md, "How each interval is known".',
    "",
    "Browse from the command line with `auditpack controls list [--framework <id>]` and",
    "`auditpack controls show <framework>:<id>`.",
    "",
    ...verdictRules(),
    ...summaryTable(catalogs),
    "",
  ];
  for (const catalog of catalogs) lines.push(...catalogSection(catalog));
  lines.push(...crosswalkTable(catalogs), ...checkIndex(catalogs));
  return `${lines
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trimEnd()}\n`;
}
