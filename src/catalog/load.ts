import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { type Document, isMap, isScalar, LineCounter, type Node, parseDocument } from "yaml";
import type { z } from "zod";
import { checkIds } from "../checks/registry.js";
import { formatPath } from "../config/load.js";
import { yamlToJs } from "../config/yaml-js.js";
import { UsageError } from "../errors.js";
import { controlsPath } from "../paths.js";
import { didYouMean } from "../suggest.js";
import { CatalogFileSchema, type CrosswalkFile, CrosswalkFileSchema } from "./schema.js";
import type { Catalog, CatalogRequirement, FrameworkInfo } from "./types.js";

/**
 * Loads and validates the control catalogs (controls/<framework>.yaml) and the crosswalk
 * (controls/crosswalk.yaml). Every problem is a UsageError naming the file, the YAML path and line
 * of the bad field, and what would fix it.
 */

export const CROSSWALK_FILE = "crosswalk.yaml";

export interface CatalogLoadOptions {
  /** Directory holding the catalogs and crosswalk.yaml; default: the bundled controls/. */
  dir?: string;
  /**
   * Check ids that exist; default: the check registry's. A catalog naming any other check is
   * rejected. "any" validates check ids for form only (tools that read catalogs of another build).
   */
  knownCheckIds?: ReadonlySet<string> | "any";
}

interface ParsedYaml {
  file: string;
  doc: Document;
  lines: LineCounter;
}

function readYaml(file: string, what: string): ParsedYaml {
  if (!existsSync(file)) throw new UsageError(`${what} ${file} not found`);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (cause) {
    throw new UsageError(`cannot read ${what} ${file}: ${(cause as Error).message}`, { cause });
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const first = doc.errors[0]!;
    const line = first.linePos?.[0]?.line;
    throw new UsageError(
      `${what} ${file}${line ? `:${line}` : ""} is not valid YAML: ${first.message.split("\n")[0]}`,
      { cause: first, hint: "fix the YAML syntax at that line (indentation, quoting, a missing colon)" },
    );
  }
  return { file, doc, lines };
}

/** The line of the deepest YAML node on `issuePath` (the field itself, or its nearest parent). */
function lineOf(parsed: ParsedYaml, issuePath: readonly PropertyKey[]): number | undefined {
  for (let depth = issuePath.length; depth >= 0; depth--) {
    const node = parsed.doc.getIn(issuePath.slice(0, depth) as unknown[], true) as Node | undefined;
    const offset = node?.range?.[0];
    if (offset !== undefined) return parsed.lines.linePos(offset).line;
  }
  return undefined;
}

/** For an unknown key, the line of that key rather than of its object. */
function lineOfKey(parsed: ParsedYaml, objectPath: readonly PropertyKey[], key: string): number | undefined {
  const node = parsed.doc.getIn(objectPath as unknown[], true);
  if (isMap(node)) {
    const pair = node.items.find((p) => isScalar(p.key) && p.key.value === key);
    const offset = isScalar(pair?.key) ? pair.key.range?.[0] : undefined;
    if (offset !== undefined) return parsed.lines.linePos(offset).line;
  }
  return lineOf(parsed, objectPath);
}

interface Problem {
  path: readonly PropertyKey[];
  message: string;
  line?: number;
}

/** "requirements[12].checks[0].id (line 57, requirement 8.3.6)" */
function describeLocation(parsed: ParsedYaml, problem: Problem): string {
  const where = formatPath(problem.path);
  const notes: string[] = [];
  const line = problem.line ?? lineOf(parsed, problem.path);
  if (line !== undefined) notes.push(`line ${line}`);
  if (problem.path[0] === "requirements" && typeof problem.path[1] === "number") {
    const id = parsed.doc.getIn(["requirements", problem.path[1], "id"]);
    if (typeof id === "string" || typeof id === "number") notes.push(`requirement ${id}`);
  }
  return notes.length > 0 ? `${where} (${notes.join(", ")})` : where;
}

function invalid(parsed: ParsedYaml, what: string, problems: Problem[], hint: string): UsageError {
  const lines = problems.map((p) => `  - ${describeLocation(parsed, p)}: ${p.message}`);
  return new UsageError(`invalid ${what} ${parsed.file}:\n${lines.join("\n")}`, { hint });
}

function zodProblems(parsed: ParsedYaml, error: z.ZodError): Problem[] {
  return error.issues.map((issue) => {
    if (issue.code === "unrecognized_keys") {
      const keys = issue.keys.map((k) => `"${k}"`).join(", ");
      const crosswalkNote = issue.keys.includes("crosswalk")
        ? " (cross-framework links belong in controls/crosswalk.yaml)"
        : "";
      return {
        path: issue.path,
        line: lineOfKey(parsed, issue.path, issue.keys[0]!),
        message: `unknown key${issue.keys.length > 1 ? "s" : ""} ${keys}${crosswalkNote}`,
      };
    }
    return { path: issue.path, message: issue.message };
  });
}

const CATALOG_HINT =
  "see schemas/catalog.schema.json and docs/CONTROLS.md; every requirement needs `checks` or `manual`";

/**
 * Load one catalog file on its own: validated, with check ids checked against `knownCheckIds`,
 * without crosswalk links (those come from the crosswalk.yaml of a catalog directory).
 */
export function loadCatalogFile(
  file: string,
  options: Pick<CatalogLoadOptions, "knownCheckIds"> = {},
): Catalog {
  const parsed = readYaml(path.resolve(file), "catalog");
  const result = CatalogFileSchema.safeParse(yamlToJs(parsed.doc, `catalog ${parsed.file}`));
  if (!result.success) throw invalid(parsed, "catalog", zodProblems(parsed, result.error), CATALOG_HINT);
  const catalog: Catalog = result.data;
  const known = knownIds(options);
  if (known) {
    const dangling = danglingChecks(catalog, known);
    if (dangling.length > 0) {
      throw invalid(
        parsed,
        "catalog",
        dangling,
        "use a check id that the check registry defines (src/checks/<service>/<check_id>.ts)",
      );
    }
  }
  return catalog;
}

function danglingChecks(catalog: Catalog, known: ReadonlySet<string>): Problem[] {
  const problems: Problem[] = [];
  const candidates = [...known].sort();
  catalog.requirements.forEach((req, index) => {
    req.checks?.forEach((check, checkIndex) => {
      if (known.has(check.id)) return;
      const suggestion = didYouMean(check.id, candidates);
      problems.push({
        path: ["requirements", index, "checks", checkIndex, "id"],
        message: `unknown check "${check.id}"${suggestion ? ` (${suggestion})` : ""}`,
      });
    });
  });
  return problems;
}

function catalogFilesIn(dir: string): string[] {
  if (!existsSync(dir)) throw new UsageError(`controls directory ${dir} not found`);
  return readdirSync(dir)
    .filter((name) => /\.ya?ml$/.test(name) && name !== CROSSWALK_FILE)
    .sort()
    .map((name) => path.join(dir, name));
}

/**
 * Every catalog of a directory (the hub framework first, then by id), with crosswalk links from
 * its crosswalk.yaml applied in both directions. A catalog's file name must be `<framework id>.yaml`.
 */
export function loadCatalogs(options: CatalogLoadOptions = {}): Catalog[] {
  const dir = path.resolve(options.dir ?? controlsPath());
  const files = catalogFilesIn(dir);
  // Parsing YAML dominates; reuse the result while no file in the directory has changed.
  const key = cacheKey(dir, files, knownIds(options));
  const cached = cache.get(dir);
  if (cached?.key === key) return structuredClone(cached.catalogs);
  const catalogs = loadCatalogsUncached(dir, files, options);
  cache.set(dir, { key, catalogs: structuredClone(catalogs) });
  return catalogs;
}

const cache = new Map<string, { key: string; catalogs: Catalog[] }>();

function knownIds(options: Pick<CatalogLoadOptions, "knownCheckIds">): ReadonlySet<string> | undefined {
  if (options.knownCheckIds === "any") return undefined;
  return options.knownCheckIds ?? checkIds;
}

function cacheKey(dir: string, files: string[], knownCheckIds?: ReadonlySet<string>): string {
  const stamp = (file: string) => {
    const s = statSync(file);
    return `${path.basename(file)}:${s.size}:${s.mtimeMs}`;
  };
  const crosswalk = path.join(dir, CROSSWALK_FILE);
  const stamps = [...files, ...(existsSync(crosswalk) ? [crosswalk] : [])].map(stamp);
  return JSON.stringify([stamps, knownCheckIds ? [...knownCheckIds].sort() : null]);
}

function loadCatalogsUncached(dir: string, files: string[], options: CatalogLoadOptions): Catalog[] {
  const catalogs = new Map<string, Catalog>();
  for (const file of files) {
    const catalog = loadCatalogFile(file, options);
    const expected = `${catalog.framework.id}.yaml`;
    if (path.basename(file) !== expected) {
      throw new UsageError(
        `catalog ${file} declares framework "${catalog.framework.id}" but is named ${path.basename(file)}`,
        {
          hint: `rename it to ${expected}, or fix framework.id`,
        },
      );
    }
    catalogs.set(catalog.framework.id, catalog);
  }
  const crosswalkFile = path.join(dir, CROSSWALK_FILE);
  const hub = existsSync(crosswalkFile) ? applyCrosswalk(crosswalkFile, catalogs) : undefined;
  return [...catalogs.values()].sort((a, b) => {
    if (a.framework.id === hub) return -1;
    if (b.framework.id === hub) return 1;
    return a.framework.id < b.framework.id ? -1 : 1;
  });
}

/** Validate the crosswalk against the catalogs and set each requirement's `crosswalk`; returns the hub id. */
function applyCrosswalk(file: string, catalogs: Map<string, Catalog>): string {
  const parsed = readYaml(file, "crosswalk");
  const result = CrosswalkFileSchema.safeParse(yamlToJs(parsed.doc, `crosswalk ${parsed.file}`));
  const hint = 'each key is a requirement id of the hub framework, each value a list of "<framework>:<id>"';
  if (!result.success) throw invalid(parsed, "crosswalk", zodProblems(parsed, result.error), hint);
  const crosswalk: CrosswalkFile = result.data;

  const hubCatalog = catalogs.get(crosswalk.hub);
  if (!hubCatalog) {
    const suggestion = didYouMean(crosswalk.hub, [...catalogs.keys()]);
    throw invalid(
      parsed,
      "crosswalk",
      [
        {
          path: ["hub"],
          message: `no catalog for framework "${crosswalk.hub}"${suggestion ? ` (${suggestion})` : ""}`,
        },
      ],
      hint,
    );
  }
  const problems: Problem[] = [];
  const requirementOf = (framework: Catalog, id: string) => framework.requirements.find((r) => r.id === id);
  const checkTarget = (framework: string, id: string, at: readonly PropertyKey[]): boolean => {
    const catalog = catalogs.get(framework);
    if (!catalog) {
      const suggestion = didYouMean(framework, [...catalogs.keys()]);
      problems.push({
        path: at,
        message: `no catalog for framework "${framework}"${suggestion ? ` (${suggestion})` : ""}`,
      });
      return false;
    }
    if (!requirementOf(catalog, id)) {
      const suggestion = didYouMean(
        id,
        catalog.requirements.map((r) => r.id),
      );
      problems.push({
        path: at,
        message: `${framework} has no requirement "${id}"${suggestion ? ` (${suggestion})` : ""}`,
      });
      return false;
    }
    return true;
  };

  const reverse = new Map<string, string[]>();
  const forward = new Map<string, string[]>();
  // Walk the hub in catalog order so every derived list is in the standard's order.
  const linkKeys = new Set(Object.keys(crosswalk.links));
  for (const key of linkKeys) checkTarget(crosswalk.hub, key, ["links", key]);
  for (const req of hubCatalog.requirements) {
    const targets = crosswalk.links[req.id];
    if (!targets) continue;
    targets.forEach((target, index) => {
      const split = target.indexOf(":");
      const framework = target.slice(0, split);
      const id = target.slice(split + 1);
      if (!checkTarget(framework, id, ["links", req.id, index])) return;
      const list = reverse.get(target) ?? [];
      list.push(`${crosswalk.hub}:${req.id}`);
      reverse.set(target, list);
    });
    forward.set(req.id, targets);
  }
  if (problems.length > 0) throw invalid(parsed, "crosswalk", problems, hint);

  for (const catalog of catalogs.values()) {
    const isHub = catalog === hubCatalog;
    catalog.requirements = catalog.requirements.map((req) => {
      const links = isHub ? forward.get(req.id) : reverse.get(`${catalog.framework.id}:${req.id}`);
      return links ? { ...req, crosswalk: [...links] } : req;
    });
  }
  return crosswalk.hub;
}

function looksLikeFile(ref: string): boolean {
  return /\.ya?ml$/i.test(ref) || ref.includes("/") || ref.includes(path.sep);
}

/**
 * A catalog by framework id (from the controls directory) or by file path. A file whose directory
 * has a crosswalk.yaml is loaded together with its sibling catalogs so its crosswalk links apply.
 */
export function loadCatalog(
  ref: string,
  options: CatalogLoadOptions & { notify?: (notice: string) => void } = {},
): Catalog {
  if (looksLikeFile(ref)) {
    const file = path.resolve(ref);
    const dir = path.dirname(file);
    if (!existsSync(file)) throw new UsageError(`catalog file ${file} not found`);
    if (!existsSync(path.join(dir, CROSSWALK_FILE))) return loadCatalogFile(file, options);
    const catalogs = loadCatalogs({ ...options, dir });
    const found = catalogs.find((c) => path.join(dir, `${c.framework.id}.yaml`) === file);
    if (found) return found;
    return loadCatalogFile(file, options);
  }
  return findCatalog(loadCatalogs(options), ref, options.notify);
}

/**
 * Retired framework versions that still resolve, to their successor, with the notice printed when
 * one is used. PCI DSS v4.0 was retired on 2024-12-31; v4.0.1 changed no requirement number.
 */
export const FRAMEWORK_ALIASES: Readonly<Record<string, { to: string; notice: string }>> = {
  "pci-dss-4.0": {
    to: "pci-dss-4.0.1",
    notice:
      "notice: PCI DSS v4.0 was retired on 2024-12-31; pci-dss-4.0 resolves to pci-dss-4.0.1 (PCI DSS v4.0.1, June 2024, same requirement numbers)",
  },
};

const noticed = new Set<string>();

/** Print an alias's notice on stderr, once per process (findCatalog's default). */
export function printAliasNotice(notice: string): void {
  if (noticed.has(notice)) return;
  noticed.add(notice);
  process.stderr.write(`${notice}\n`);
}

/**
 * The catalog of `frameworkId`, or a UsageError suggesting the closest known framework. A retired
 * id (FRAMEWORK_ALIASES) resolves to its successor and `notify` receives the notice.
 */
export function findCatalog(
  catalogs: readonly Catalog[],
  frameworkId: string,
  notify: (notice: string) => void = printAliasNotice,
): Catalog {
  const alias = FRAMEWORK_ALIASES[frameworkId];
  if (alias && !catalogs.some((c) => c.framework.id === frameworkId)) {
    const target = catalogs.find((c) => c.framework.id === alias.to);
    if (target) {
      notify(alias.notice);
      return target;
    }
  }
  const found = catalogs.find((c) => c.framework.id === frameworkId);
  if (found) return found;
  const ids = catalogs.map((c) => c.framework.id);
  const suggestion = didYouMean(frameworkId, ids);
  throw new UsageError(`unknown framework "${frameworkId}"`, {
    hint: `${suggestion ? `${suggestion} ` : ""}known frameworks: ${ids.join(", ")} (or give the path of a catalog .yaml file)`,
  });
}

/** The requirement `id` of a catalog, or a UsageError suggesting the closest ids. */
export function findRequirement(catalog: Catalog, id: string, context = ""): CatalogRequirement {
  const found = catalog.requirements.find((r) => r.id === id);
  if (found) return found;
  const suggestion = didYouMean(
    id,
    catalog.requirements.map((r) => r.id),
  );
  throw new UsageError(`${context}${catalog.framework.id} has no requirement "${id}"`, {
    hint: `${suggestion ? `${suggestion} ` : ""}list them with \`auditpack controls list --framework ${catalog.framework.id}\``,
  });
}

/** The frameworks of the controls directory, hub first. */
export function listFrameworks(options: CatalogLoadOptions = {}): FrameworkInfo[] {
  return loadCatalogs(options).map((c) => c.framework);
}

export interface ResolvedControl {
  catalog: Catalog;
  requirement: CatalogRequirement;
}

/**
 * "pci-dss-4.0.1:8.4.2" -> its catalog and requirement. Pass `catalogs` when they are already
 * loaded; otherwise the controls directory is loaded.
 */
export function resolveControlId(
  qualified: string,
  options: CatalogLoadOptions & { catalogs?: readonly Catalog[]; notify?: (notice: string) => void } = {},
): ResolvedControl {
  const split = qualified.indexOf(":");
  if (split <= 0 || split === qualified.length - 1) {
    throw new UsageError(`"${qualified}" is not a control id`, {
      hint: 'write "<framework>:<requirement>", e.g. pci-dss-4.0.1:8.4.2',
    });
  }
  const catalog = findCatalog(
    options.catalogs ?? loadCatalogs(options),
    qualified.slice(0, split),
    options.notify,
  );
  return { catalog, requirement: findRequirement(catalog, qualified.slice(split + 1)) };
}

/** A heading groups other requirements and is assessed through them (no checks, no manual). */
export function isHeading(requirement: CatalogRequirement): boolean {
  return (requirement.checks?.length ?? 0) === 0 && requirement.manual === undefined;
}

/** Automated, automated with a manual part, manual, or a heading. */
export type RequirementKind = "automated" | "partly-manual" | "manual" | "heading";

export function requirementKind(req: CatalogRequirement): RequirementKind {
  if (isHeading(req)) return "heading";
  if (!req.checks?.length) return "manual";
  return req.manual ? "partly-manual" : "automated";
}

/** The requirements directly under `id`, in catalog order. */
export function childrenOf(catalog: Catalog, id: string): CatalogRequirement[] {
  return catalog.requirements.filter((r) => r.parent === id);
}

/**
 * Select requirements by id: "8,10,11" or "8.3" selects each named requirement and everything
 * under it in the hierarchy, in catalog order. `option` names the option in errors.
 */
export function selectRequirements(
  catalog: Catalog,
  selection: string | readonly string[],
  option = "requirements",
): CatalogRequirement[] {
  const ids = (typeof selection === "string" ? selection.split(",") : [...selection])
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (ids.length === 0) {
    throw new UsageError(`${option}: no requirement ids given`, { hint: "e.g. 8,10,11 or 8.3" });
  }
  const chosen = new Set<string>();
  const children = new Map<string, string[]>();
  for (const r of catalog.requirements) {
    if (r.parent !== undefined) children.set(r.parent, [...(children.get(r.parent) ?? []), r.id]);
  }
  const add = (id: string) => {
    if (chosen.has(id)) return;
    chosen.add(id);
    for (const child of children.get(id) ?? []) add(child);
  };
  for (const id of ids) {
    add(findRequirement(catalog, id, `${option}: `).id);
  }
  return catalog.requirements.filter((r) => chosen.has(r.id));
}
