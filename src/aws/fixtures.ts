import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { describeIssues } from "../config/load.js";
import { UsageError } from "../errors.js";
import { GLOBAL_REGION } from "../evidence/record.js";
import { fixturesPath } from "../paths.js";
import type { ServiceFixture } from "./replay.js";
import { SERVICE_NAMES, type ServiceName } from "./services.js";

/**
 * Fixture scenarios (docs/EVIDENCE.md): evidence-fixtures/<scenario>/scenario.json plus
 * <account>/<region>/<service>.json answer files, replayed through the real SDK clients.
 */

const isoDate = z.iso.datetime({
  offset: true,
  message: "an ISO 8601 date-time such as 2026-09-30T23:00:00Z",
});

const ScenarioSchema = z.strictObject({
  description: z.string().min(1),
  clock: isoDate,
  accounts: z.array(z.string().regex(/^\d{12}$/, "an AWS account id is 12 digits")).min(1),
  regions: z
    .array(z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, "an AWS region name such as eu-west-1"))
    .min(1),
  window: z.strictObject({ start: isoDate, end: isoDate }),
  schedule: z
    .strictObject({
      collectors: z.array(z.string().min(1)).min(1),
      first: isoDate,
      intervalHours: z
        .number()
        .positive()
        .max(24 * 31),
    })
    .optional(),
});

const AnswerSchema = z
  .strictObject({
    params: z.record(z.string(), z.unknown()).optional(),
    response: z.unknown().optional(),
    error: z
      .strictObject({
        code: z.string().min(1),
        message: z.string().optional(),
        status: z.number().int().min(400).max(599).optional(),
      })
      .optional(),
    times: z.number().int().min(1).optional(),
    from: isoDate.optional(),
    until: isoDate.optional(),
  })
  .refine((a) => !(a.error && a.response !== undefined), "an answer has either response or error, not both")
  .refine(
    (a) => !(a.from && a.until && Date.parse(a.from) >= Date.parse(a.until)),
    "from must be before until",
  );

/** A stored answer: a replay answer that may apply only to runs whose clock is in [from, until). */
type TimedAnswer = z.infer<typeof AnswerSchema>;

const ServiceFixtureSchema = z.record(
  z.string().regex(/^[A-Z][A-Za-z0-9]+$/, "an operation name such as DescribeTrails"),
  z.array(AnswerSchema),
);

export interface FixtureScenario {
  name: string;
  dir: string;
  description: string;
  /** The scenario's pinned clock: `now()` for collectors and the records' collectedAt. */
  clock: Date;
  accounts: string[];
  regions: string[];
  window: { start: Date; end: Date };
  /**
   * The collection schedule the scenario recorded: these snapshot collectors ran every
   * `intervalHours` from `first` until the clock; every collector ran at the clock.
   */
  schedule?: { collectors: string[]; first: Date; intervalHours: number };
  /**
   * The answers for one service in one account and region ("global" for sts) as they stood at
   * `clock` (default: the scenario's clock); empty when there is no file.
   */
  serviceFixture(account: string, region: string, service: ServiceName, clock?: Date): ServiceFixture;
  /** The file a service's answers come from (for messages). */
  fileFor(account: string, region: string, service: ServiceName): string;
}

/** The scenario directories under evidence-fixtures/ (those holding a scenario.json). */
export function listScenarios(root = fixturesPath()): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .filter((name) => existsSync(path.join(root, name, "scenario.json")))
    .sort();
}

/**
 * Load a scenario by name (a directory of evidence-fixtures/) or by path (e.g. one written by
 * `collect --record-fixtures`). Every problem is a UsageError naming the file and field.
 */
export function loadScenario(nameOrPath: string, root = fixturesPath()): FixtureScenario {
  const dir = resolveScenarioDir(nameOrPath, root);
  const scenarioFile = path.join(dir, "scenario.json");
  const meta = parseFile(scenarioFile, ScenarioSchema);
  const clock = new Date(meta.clock);
  const window = { start: new Date(meta.window.start), end: new Date(meta.window.end) };
  if (window.start >= window.end) {
    throw new UsageError(`${scenarioFile}: window.start must be before window.end`);
  }
  if (meta.schedule && Date.parse(meta.schedule.first) > clock.getTime()) {
    throw new UsageError(`${scenarioFile}: schedule.first must not be after the clock (${meta.clock})`);
  }
  checkLayout(dir, meta.accounts, meta.regions);

  const cache = new Map<string, Record<string, TimedAnswer[]>>();
  const fileFor = (account: string, region: string, service: ServiceName) =>
    path.join(dir, account, region, `${service}.json`);
  return {
    name: path.basename(dir),
    dir,
    description: meta.description,
    clock,
    accounts: meta.accounts,
    regions: meta.regions,
    window,
    ...(meta.schedule
      ? {
          schedule: {
            collectors: meta.schedule.collectors,
            first: new Date(meta.schedule.first),
            intervalHours: meta.schedule.intervalHours,
          },
        }
      : {}),
    fileFor,
    serviceFixture(account, region, service, at = clock) {
      const file = fileFor(account, region, service);
      let fixture = cache.get(file);
      if (!fixture) {
        fixture = existsSync(file) ? parseFile(file, ServiceFixtureSchema) : {};
        cache.set(file, fixture);
      }
      return answersAt(fixture, at);
    },
  };
}

/** The answers that apply at `clock`, without their validity range (the replay transport matches params only). */
function answersAt(fixture: Record<string, TimedAnswer[]>, clock: Date): ServiceFixture {
  const t = clock.getTime();
  const out: ServiceFixture = {};
  for (const [operation, answers] of Object.entries(fixture)) {
    out[operation] = answers
      .filter((a) => (!a.from || Date.parse(a.from) <= t) && (!a.until || t < Date.parse(a.until)))
      .map(({ from: _from, until: _until, ...answer }) => answer);
  }
  return out;
}

function resolveScenarioDir(nameOrPath: string, root: string): string {
  const looksLikePath =
    nameOrPath.includes("/") || nameOrPath.includes(path.sep) || nameOrPath.startsWith(".");
  const dir = looksLikePath ? path.resolve(nameOrPath) : path.join(root, nameOrPath);
  if (!looksLikePath && !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(nameOrPath)) {
    throw new UsageError(`--fixtures "${nameOrPath}" is not a scenario name`, { hint: scenarioHint(root) });
  }
  if (!existsSync(path.join(dir, "scenario.json"))) {
    throw new UsageError(`no fixture scenario at ${dir} (scenario.json missing)`, {
      hint: scenarioHint(root),
    });
  }
  return dir;
}

function scenarioHint(root: string): string {
  const names = listScenarios(root);
  return names.length > 0
    ? `available scenarios: ${names.join(", ")}; or pass the path of a recorded scenario directory`
    : `no scenarios found under ${root}`;
}

/** Directories must be the scenario's accounts and regions (or "global"), files must be service names. */
function checkLayout(dir: string, accounts: string[], regions: string[]): void {
  for (const entry of readdirSync(dir)) {
    const full = path.join(dir, entry);
    if (!statSync(full).isDirectory()) continue;
    if (!accounts.includes(entry)) {
      throw new UsageError(`${full}: directory "${entry}" is not one of the scenario's accounts`, {
        hint: `add it to "accounts" in ${path.join(dir, "scenario.json")} or remove the directory`,
      });
    }
    for (const region of readdirSync(full)) {
      const regionDir = path.join(full, region);
      if (!statSync(regionDir).isDirectory()) continue;
      if (region !== GLOBAL_REGION && !regions.includes(region)) {
        throw new UsageError(`${regionDir}: "${region}" is not one of the scenario's regions (or "global")`);
      }
      for (const file of readdirSync(regionDir)) {
        const service = file.replace(/\.json$/, "");
        if (!file.endsWith(".json") || !SERVICE_NAMES.includes(service as ServiceName)) {
          throw new UsageError(`${path.join(regionDir, file)}: not a service file`, {
            hint: `service files are named ${SERVICE_NAMES.map((s) => `${s}.json`).join(", ")}`,
          });
        }
      }
    }
  }
}

function parseFile<T>(file: string, schema: z.ZodType<T>): T {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (cause) {
    throw new UsageError(`${file} is not valid JSON: ${(cause as Error).message}`, { cause });
  }
  const result = schema.safeParse(raw);
  if (!result.success) {
    const lines = describeIssues(result.error).map((l) => `  - ${l}`);
    throw new UsageError(`invalid fixture file ${file}:\n${lines.join("\n")}`, {
      hint: "see docs/EVIDENCE.md, section Fixture scenarios, for the format",
    });
  }
  return result.data;
}
