import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { parseDocument } from "yaml";
import { z } from "zod";
import { FRAMEWORK_ALIASES } from "../catalog/load.js";
import { describeIssues } from "../config/load.js";
import { yamlToJs } from "../config/yaml-js.js";
import { UsageError } from "../errors.js";
import { templatePath } from "../paths.js";

/**
 * Report templates as data (templates/report/): branding.yaml, text.yaml and layout/<framework>.yaml.
 * `--template <dir>` overrides them file by file and key by key: whatever the directory leaves out
 * keeps the bundled value.
 */

const colour = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'a colour as "#RRGGBB"');

export const BrandingSchema = z.strictObject({
  organisation: z.string(),
  logo: z.string(),
  confidentiality: z.string(),
  colours: z.strictObject({
    primary: colour,
    accent: colour,
    text: colour,
    muted: colour,
    rule: colour,
    tableHeader: colour,
    demonstration: colour,
  }),
  status: z.strictObject({
    PASS: colour,
    FAIL: colour,
    ERROR: colour,
    NOT_COVERED: colour,
    MANUAL: colour,
    NOT_APPLICABLE: colour,
    WAIVED: colour,
    NO_DATA: colour,
  }),
});

export const TextSchema = z.strictObject({
  introduction: z.string().min(1),
  methodology: z.string().min(1),
  /** The statements signed on the attestation page (src/report/attestation.ts). */
  managementAssertion: z.string().min(1),
  assessorStatement: z.string().min(1),
  attestation: z.string().min(1),
  verification: z.string().min(1),
});

export const SECTION_NAMES = [
  "asks",
  "tested",
  "result",
  "findings",
  "waivers",
  "attachments",
  "evidence",
] as const;
export type SectionName = (typeof SECTION_NAMES)[number];

export const LayoutSchema = z.strictObject({
  groups: z.array(z.strictObject({ id: z.string().min(1), title: z.string().min(1) })),
  sections: z.array(z.enum(SECTION_NAMES)).min(1),
  rowsPerTable: z.number().int().min(1).max(10_000),
});

export type Branding = z.infer<typeof BrandingSchema>;
export type TextBlocks = z.infer<typeof TextSchema>;
export type Layout = z.infer<typeof LayoutSchema>;

export interface ReportTemplate {
  branding: Branding;
  text: TextBlocks;
  layout: Layout;
  /** The logo's bytes, read from the template directory that named it. */
  logo?: { data: Buffer; format: "png" | "jpeg" };
  /** Directories the template came from, bundled first. */
  sources: string[];
}

export const BUNDLED_TEMPLATE_DIR = templatePath("report");

/** Load the bundled template for a framework, overridden by `overrideDir` when given. */
export function loadReportTemplate(frameworkId: string, overrideDir?: string): ReportTemplate {
  const dirs = [BUNDLED_TEMPLATE_DIR];
  if (overrideDir !== undefined) {
    const dir = path.resolve(overrideDir);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) {
      throw new UsageError(`--template ${overrideDir} is not a directory`, {
        hint: "pass a directory holding any of branding.yaml, text.yaml, layout/<framework>.yaml",
      });
    }
    dirs.push(dir);
  }

  let branding: Record<string, unknown> = {};
  let text: Record<string, unknown> = {};
  let layout: Record<string, unknown> = {};
  let logoDir = BUNDLED_TEMPLATE_DIR;
  for (const dir of dirs) {
    const b = readYamlObject(path.join(dir, "branding.yaml"));
    if (b) {
      branding = deepMerge(branding, b);
      if (typeof b.logo === "string") logoDir = dir;
    }
    const t = readYamlObject(path.join(dir, "text.yaml"));
    if (t) text = deepMerge(text, t);
    // A layout written for a retired id (layout/pci-dss-4.0.yaml) still applies to its successor.
    const candidates = [frameworkId, ...retiredIdsOf(frameworkId), "default"].map((id) =>
      path.join(dir, "layout", `${id}.yaml`),
    );
    const l = readYamlObject(candidates.find((file) => existsSync(file)) ?? candidates.at(-1)!);
    if (l) layout = deepMerge(layout, l);
  }

  const template: ReportTemplate = {
    branding: validate(BrandingSchema, branding, "branding.yaml", dirs),
    text: validate(TextSchema, text, "text.yaml", dirs),
    layout: validate(LayoutSchema, layout, `layout/${frameworkId}.yaml`, dirs),
    sources: dirs,
  };
  if (template.branding.logo) template.logo = readLogo(path.resolve(logoDir, template.branding.logo));
  return template;
}

function readYamlObject(file: string): Record<string, unknown> | undefined {
  if (!existsSync(file)) return undefined;
  const doc = parseDocument(readFileSync(file, "utf8"), { uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new UsageError(`template file ${file} is not valid YAML: ${doc.errors[0]!.message.split("\n")[0]}`);
  }
  const value = yamlToJs(doc, `template file ${file}`);
  if (value === null || value === undefined) return {};
  if (typeof value !== "object" || Array.isArray(value)) {
    throw new UsageError(`template file ${file} must hold a mapping of keys to values`);
  }
  return value as Record<string, unknown>;
}

function validate<T>(schema: z.ZodType<T>, value: unknown, name: string, dirs: string[]): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const lines = describeIssues(result.error).map((l) => `  - ${l}`);
  throw new UsageError(`invalid report template ${name} (from ${dirs.join(", ")}):\n${lines.join("\n")}`, {
    hint: `compare with the bundled ${path.join(BUNDLED_TEMPLATE_DIR, name)}`,
  });
}

function readLogo(file: string): ReportTemplate["logo"] {
  let data: Buffer;
  try {
    data = readFileSync(file);
  } catch (cause) {
    throw new UsageError(`cannot read the logo ${file} named by branding.yaml: ${(cause as Error).message}`, {
      cause,
    });
  }
  if (data.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) {
    return { data, format: "png" };
  }
  if (data[0] === 0xff && data[1] === 0xd8) return { data, format: "jpeg" };
  throw new UsageError(`the logo ${file} named by branding.yaml is neither PNG nor JPEG`);
}

/** Objects merge key by key; arrays and scalars from `over` replace those of `base`. */
function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const prior = out[key];
    out[key] =
      isPlainObject(prior) && isPlainObject(value)
        ? deepMerge(prior as Record<string, unknown>, value as Record<string, unknown>)
        : value;
  }
  return out;
}

function isPlainObject(value: unknown): boolean {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Replace {name} placeholders; unknown names stay as written so a typo is visible. */
export function fillText(text: string, values: Record<string, string>): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
}

/** Text block -> paragraphs (blank-line separated), each joined onto one line. */
export function paragraphs(text: string): string[] {
  return text
    .split(/\n\s*\n/)
    .map((p) => p.replace(/\s*\n\s*/g, " ").trim())
    .filter((p) => p.length > 0);
}

/** Retired framework ids that resolve to `frameworkId` (catalog/load.ts FRAMEWORK_ALIASES). */
function retiredIdsOf(frameworkId: string): string[] {
  return Object.entries(FRAMEWORK_ALIASES)
    .filter(([, alias]) => alias.to === frameworkId)
    .map(([id]) => id);
}
