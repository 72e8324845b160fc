import type { Command } from "commander";
import { formatParams } from "../catalog/docs.js";
import {
  childrenOf,
  findCatalog,
  loadCatalogs,
  type RequirementKind,
  requirementKind,
  resolveControlId,
  selectRequirements,
} from "../catalog/load.js";
import type { Catalog, CatalogRequirement, CheckRef } from "../catalog/types.js";
import { checks, getCheck } from "../checks/registry.js";
import { SNAPSHOT_KINDS } from "../collectors/registry.js";
import { UsageError } from "../errors.js";
import { RESOURCE_NOUNS, type ResourceType } from "../state/types.js";
import type { CliApp } from "./app.js";
import { action, examples } from "./program.js";

/** A check as `controls show` describes it: the registry's metadata and where its evidence comes from. */
interface CheckView {
  id: string;
  params?: Record<string, unknown>;
  /** The parameters the check runs with: the catalog's, plus the check's defaults. */
  effectiveParams?: unknown;
  title: string;
  severity: string;
  /** What it evaluates, e.g. "Cognito user pools". */
  resource: string;
  /** Collectors whose snapshots report that resource type. */
  snapshotCollectors: string[];
}

function describeCheck(qualified: string, ref: CheckRef): CheckView {
  const check = getCheck(ref.id);
  const parsed = check.paramsSchema.safeParse(ref.params ?? {});
  if (!parsed.success) {
    throw new UsageError(
      `${qualified}: parameters of check ${ref.id} are invalid: ${parsed.error.issues[0]?.message}`,
      {
        hint: "fix the check's params in the catalog file under controls/",
      },
    );
  }
  const snapshotCollectors = Object.entries(SNAPSHOT_KINDS)
    .filter(([, kinds]) => (kinds as string[]).includes(check.resourceType))
    .map(([collector]) => collector);
  return {
    id: ref.id,
    params: ref.params,
    effectiveParams: parsed.data,
    title: check.title,
    severity: check.severity,
    resource: RESOURCE_NOUNS[check.resourceType as ResourceType] ?? check.resourceType,
    snapshotCollectors,
  };
}

/** The catalogs, validated against the check registry so a dangling check id is an error. */
function loadCatalogsWithChecks(): Catalog[] {
  return loadCatalogs({ knownCheckIds: new Set(checks.map((c) => c.id)) });
}

const KIND_LABEL: Record<RequirementKind, string> = {
  automated: "automated",
  "partly-manual": "auto+manual",
  manual: "MANUAL",
  heading: "",
};

function counts(
  catalog: Catalog,
): Record<Exclude<RequirementKind, "heading">, number> & { requirements: number } {
  const kinds = catalog.requirements.map(requirementKind);
  const n = (kind: RequirementKind) => kinds.filter((k) => k === kind).length;
  return {
    requirements: kinds.length - n("heading"),
    automated: n("automated"),
    "partly-manual": n("partly-manual"),
    manual: n("manual"),
  };
}

function depths(catalog: Catalog): Map<string, number> {
  const depth = new Map<string, number>();
  for (const r of catalog.requirements) {
    depth.set(r.id, r.parent === undefined ? 0 : (depth.get(r.parent) ?? 0) + 1);
  }
  return depth;
}

function listFrameworksCommand(app: CliApp, catalogs: Catalog[]): void {
  const rows = catalogs.map((c) => ({ ...c.framework, ...counts(c) }));
  const idWidth = Math.max(...rows.map((r) => r.id.length));
  const nameWidth = Math.max(...rows.map((r) => `${r.name} ${r.version}`.length));
  for (const r of rows) {
    app.out.info(
      `${r.id.padEnd(idWidth)}  ${`${r.name} ${r.version}`.padEnd(nameWidth)}  ${r.requirements} requirements: ` +
        `${r.automated} automated, ${r["partly-manual"]} automated with a manual part, ${r.manual} manual`,
    );
  }
  app.out.info("\nrequirements of one framework: auditpack controls list --framework <id>");
  app.out.result({
    frameworks: rows.map((r) => ({
      id: r.id,
      name: r.name,
      version: r.version,
      publisher: r.publisher,
      url: r.url,
      requirements: r.requirements,
      automated: r.automated,
      partlyManual: r["partly-manual"],
      manual: r.manual,
    })),
  });
}

function listRequirementsCommand(app: CliApp, catalog: Catalog, selection?: string): void {
  const requirements = selection
    ? selectRequirements(catalog, selection, "--requirements")
    : catalog.requirements;
  const depth = depths(catalog);
  const minDepth = Math.min(...requirements.map((r) => depth.get(r.id) ?? 0));
  const idWidth = Math.max(...requirements.map((r) => r.id.length + 2 * ((depth.get(r.id) ?? 0) - minDepth)));
  app.out.info(`${catalog.framework.id}  ${catalog.framework.name} ${catalog.framework.version}\n`);
  for (const r of requirements) {
    const kind = requirementKind(r);
    const indent = "  ".repeat((depth.get(r.id) ?? 0) - minDepth);
    const checks = r.checks?.length ? `${r.checks.length} check${r.checks.length > 1 ? "s" : ""}` : "";
    const label = kind === "heading" ? "" : `${KIND_LABEL[kind].padEnd(11)} ${checks.padEnd(8)}`;
    app.out.info(`${`${indent}${r.id}`.padEnd(idWidth)}  ${label.padEnd(20)} ${r.title}`.trimEnd());
  }
  app.out.info(`\ndetails: auditpack controls show ${catalog.framework.id}:<id>`);
  app.out.result({
    framework: catalog.framework,
    requirements: requirements.map((r) => ({ ...r, kind: requirementKind(r) })),
  });
}

function ancestors(catalog: Catalog, requirement: CatalogRequirement): CatalogRequirement[] {
  const chain: CatalogRequirement[] = [];
  let parentId = requirement.parent;
  while (parentId !== undefined) {
    const parent = catalog.requirements.find((r) => r.id === parentId);
    if (!parent) break;
    chain.unshift(parent);
    parentId = parent.parent;
  }
  return chain;
}

function titleOf(catalogs: Catalog[], qualified: string): string | undefined {
  const split = qualified.indexOf(":");
  const catalog = catalogs.find((c) => c.framework.id === qualified.slice(0, split));
  return catalog?.requirements.find((r) => r.id === qualified.slice(split + 1))?.title;
}

function showCommand(app: CliApp, control: string, catalogs: Catalog[]): void {
  const { catalog, requirement } = resolveControlId(control, { catalogs, notify: app.out.notice });
  const qualified = `${catalog.framework.id}:${requirement.id}`;
  const kind = requirementKind(requirement);
  const path = ancestors(catalog, requirement);
  const children = childrenOf(catalog, requirement.id);
  const checkViews = (requirement.checks ?? []).map((ref) => describeCheck(qualified, ref));
  const crosswalk = (requirement.crosswalk ?? []).map((link) => ({
    control: link,
    title: titleOf(catalogs, link),
  }));

  const out = app.out;
  out.info(`${qualified}  ${requirement.title}${kind === "manual" ? "  [MANUAL]" : ""}`);
  out.info(
    [`${catalog.framework.name} ${catalog.framework.version}`, ...path.map((p) => `${p.id} ${p.title}`)].join(
      " > ",
    ),
  );
  out.info(`\n${requirement.description}`);
  const assessment = [
    requirement.testingProcedures ? `Testing procedures: ${requirement.testingProcedures.join(", ")}` : "",
    requirement.serviceProviderOnly ? "Applies to service providers only" : "",
    requirement.population ? `Population: resources in the role ${requirement.population}` : "",
    requirement.applicability ? `Applicability: ${requirement.applicability}` : "",
  ].filter(Boolean);
  if (assessment.length > 0) out.info(`\n${assessment.join("\n")}`);
  if (kind === "heading") {
    out.info("\nA heading: it is assessed through the requirements under it.");
  }
  if (checkViews.length > 0) {
    out.info(`\nAutomated checks (${checkViews.length}):`);
    for (const check of checkViews) {
      const params = formatParams(check.params);
      const supporting = requirement.checks?.find((c) => c.id === check.id)?.supporting
        ? "  [supporting, not sufficient]"
        : "";
      out.info(`  ${check.id}${params ? `  (${params})` : ""}${supporting}`);
      out.info(`      ${check.title} (${check.severity})`);
      const from = check.snapshotCollectors.length
        ? `; snapshots from ${check.snapshotCollectors.join(", ")}`
        : "";
      out.info(`      evaluates ${check.resource}${from}`);
    }
  }
  if (requirement.manual) {
    out.info(
      kind === "manual" ? "\nManual (no automated check):" : "\nManual part (what the checks do not cover):",
    );
    out.info(`  ${requirement.manual.rationale}`);
    if (requirement.manual.evidenceHint) out.info(`  Evidence to attach: ${requirement.manual.evidenceHint}`);
    out.info(`  Attach it with: auditpack attach --control ${qualified} --file <file>`);
  }
  if (children.length > 0) {
    out.info("\nUnder it:");
    for (const child of children) out.info(`  ${child.id}  ${child.title}`);
  }
  if (crosswalk.length > 0) {
    out.info("\nCrosswalk (same intent):");
    const width = Math.max(...crosswalk.map((c) => c.control.length));
    for (const c of crosswalk) out.info(`  ${c.control.padEnd(width)}  ${c.title ?? ""}`.trimEnd());
  }
  out.result({
    control: qualified,
    framework: catalog.framework,
    requirement: { ...requirement, kind },
    path: path.map((p) => ({ id: p.id, title: p.title })),
    children: children.map((c) => ({ id: c.id, title: c.title, kind: requirementKind(c) })),
    checks: checkViews,
    crosswalk,
  });
}

export function registerControls(program: Command): void {
  const controls = program
    .command("controls")
    .description(
      "browse the control catalogs: requirements, the checks that test them, manual ones, crosswalks",
    );

  const list = controls
    .command("list")
    .description("list the frameworks, or the requirements of one framework")
    .option("-f, --framework <id>", "list this framework's requirements (e.g. pci-dss-4.0.1)")
    .option("-r, --requirements <ids>", "only these requirements and those under them, e.g. 8,10,11 or 8.3")
    .action(
      action<{ framework?: string; requirements?: string }>(async (app, options) => {
        if (options.requirements && !options.framework) {
          throw new UsageError("--requirements needs --framework", {
            hint: "e.g. auditpack controls list --framework pci-dss-4.0.1 --requirements 8.3",
          });
        }
        const catalogs = loadCatalogsWithChecks();
        if (!options.framework) {
          listFrameworksCommand(app, catalogs);
          return 0;
        }
        listRequirementsCommand(
          app,
          findCatalog(catalogs, options.framework, app.out.notice),
          options.requirements,
        );
        return 0;
      }),
    );
  examples(list, [
    "auditpack controls list",
    "auditpack controls list --framework pci-dss-4.0.1",
    "auditpack controls list --framework pci-dss-4.0.1 --requirements 8.3,10.2",
    "auditpack controls list --framework nist-800-53-r5 --json",
  ]);

  const show = controls
    .command("show")
    .description(
      "show one requirement: what it asks, its checks and parameters, evidence, manual rationale, crosswalk",
    )
    .argument("<control>", "<framework>:<requirement id>, e.g. pci-dss-4.0.1:8.4.2")
    .action(
      action(async (app, _options, command) => {
        showCommand(app, command.args[0]!, loadCatalogsWithChecks());
        return 0;
      }),
    );
  examples(show, [
    "auditpack controls show pci-dss-4.0.1:8.4.2",
    "auditpack controls show pci-dss-4.0.1:11.3.2",
    'auditpack controls show "nist-800-53-r5:IA-2(1)" --json',
  ]);
  examples(controls, [
    "auditpack controls list --framework pci-dss-4.0.1",
    "auditpack controls show pci-dss-4.0.1:8.3.6",
  ]);
}
