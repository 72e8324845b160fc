import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { PACKAGE_ROOT } from "../../src/paths.js";

/**
 * docs/ARCHITECTURE.md's recipes, followed in a temporary copy of the repository: a throwaway check
 * and a throwaway collector are added by writing exactly the files the steps name and running the
 * commands they name; then the copy typechecks and its relevant tests pass, and nothing else changed.
 */

const DOC = readFileSync(path.join(PACKAGE_ROOT, "docs/ARCHITECTURE.md"), "utf8");

/** The numbered steps of one "### <title>" recipe. */
function steps(title: string): string[] {
  const start = DOC.indexOf(`### ${title}\n`);
  expect(start, `docs/ARCHITECTURE.md has "### ${title}"`).toBeGreaterThan(-1);
  const rest = DOC.slice(start + title.length + 5);
  const end = rest.search(/\n#{2,3} /);
  return (end === -1 ? rest : rest.slice(0, end)).split("\n").filter((l) => /^\d+\. /.test(l));
}

/** Backticked paths with <placeholders> a step creates or edits, and commands it runs. */
function parse(lines: string[]): { files: string[]; commands: string[] } {
  const ticks = lines.flatMap((l) => [...l.matchAll(/`([^`]+)`/g)].map((m) => m[1]!));
  return {
    files: ticks.filter((t) => t.includes("/") && t.includes("<") && !t.includes(" ")),
    commands: ticks.filter((t) => /^(npm run|npx vitest) /.test(t)),
  };
}

const CHECK = { service: "logs", id: "logs_log_group_recipe_probe", framework: "pci-dss-4.0.1" };
const COLLECTOR = { service: "logs", id: "logs_recipe_probe" };

const fill = (p: string) =>
  p
    .replace("<service>", p.includes("collectors") ? COLLECTOR.service : CHECK.service)
    .replace("<check_id>", CHECK.id)
    .replace("<collector_id>", COLLECTOR.id)
    .replace("<framework>", CHECK.framework);

/** What the throwaway check and collector write at each path the recipes name. */
const WRITERS: Record<string, (root: string, file: string) => void> = {
  "src/checks/<service>/<check_id>.ts": (root, file) =>
    write(
      root,
      file,
      `import { z } from "zod";
import type { LogGroupState } from "../../state/types.js";
import type { Check } from "../types.js";

const params = z.strictObject({});

export const check: Check<LogGroupState, z.infer<typeof params>> = {
  id: "${CHECK.id}",
  title: "Log groups say how long they keep events (recipe probe)",
  service: "${CHECK.service}",
  severity: "low",
  resourceType: "logs_log_group",
  description: "A throwaway check written by the recipe test.",
  remediation: "PutRetentionPolicy.",
  paramsSchema: params,
  evaluate(state) {
    return state.retentionInDays === undefined
      ? { status: "FAIL", reason: \`log group \${state.name} never expires events\` }
      : { status: "PASS", reason: \`log group \${state.name} keeps events \${state.retentionInDays} days\` };
  },
};
`,
    ),
  "test/checks/<service>/<check_id>.test.ts": (root, file) =>
    write(
      root,
      file,
      `import { describe } from "vitest";
import { check } from "../../../src/checks/${CHECK.service}/${CHECK.id}.js";
import { compliantLogGroup, standardCases } from "../harness.js";

describe("${CHECK.id}", () => {
  standardCases(check, {
    pass: [compliantLogGroup()],
    fail: [compliantLogGroup({ retentionInDays: undefined })],
    failReason: /never expires/,
  });
});
`,
    ),
  "controls/<framework>.yaml": (root, file) => {
    const target = path.join(root, file);
    const text = readFileSync(target, "utf8");
    const anchor = "      - id: logs_log_group_kms_encrypted\n";
    expect(text).toContain(anchor);
    writeFileSync(target, text.replace(anchor, `${anchor}      - id: ${CHECK.id}\n`));
  },
  "src/collectors/<service>/<collector_id>.ts": (root, file) =>
    write(
      root,
      file,
      `import { CloudWatchLogsClient, paginateDescribeLogGroups } from "@aws-sdk/client-cloudwatch-logs";
import { defineCollector } from "../define.js";
import { DAILY } from "../types.js";
import { CallLog, toEvidence } from "../util.js";
import { state } from "./${COLLECTOR.id}.state.js";

/** A throwaway collector written by the recipe test: log group names only. */
export const collector = defineCollector({
  id: "${COLLECTOR.id}",
  service: "${COLLECTOR.service}",
  title: "Log group names (recipe probe)",
  operations: ["DescribeLogGroups"],
  cadence: "snapshot",
  schedule: DAILY,
  resourceTypes: [],
  state,
  async collect(ctx) {
    const client = ctx.client(CloudWatchLogsClient);
    const log = new CallLog("${COLLECTOR.service}", ctx.signal);
    const groups = await log.all(
      "DescribeLogGroups",
      {},
      (input, o) => paginateDescribeLogGroups({ client }, input, o),
      (page) => page.logGroups,
    );
    await ctx.emit({ payload: { names: toEvidence(groups.map((g) => g.logGroupName)) }, calls: log.take() });
  },
});
`,
    ),
  "src/collectors/<service>/<collector_id>.state.ts": (root, file) =>
    write(
      root,
      file,
      `import { snapshotAdapter } from "../../state/snapshots.js";

/** Each name as a resource of an internal kind no check reads. */
export const state = snapshotAdapter(["recipe_probe_name"], (r) => {
  const names = (r.record.payload as { names?: string[] }).names ?? [];
  for (const name of names) r.observe("recipe_probe_name", name, { ...r.base, id: name, name });
});
`,
    ),
  "test/collectors/<service>/<collector_id>.test.ts": (root, file) =>
    write(
      root,
      file,
      `import { describe, expect, it } from "vitest";
import { collector } from "../../../src/collectors/${COLLECTOR.service}/${COLLECTOR.id}.js";
import { runCollector } from "../../helpers/run-collector.js";

describe("${COLLECTOR.id}", () => {
  it("stores the log group names", async () => {
    const run = await runCollector(collector, {
      fixture: { DescribeLogGroups: [{ response: { logGroups: [{ logGroupName: "/a" }, { logGroupName: "/b" }] } }] },
    });
    expect(run.records.map((r) => r.payload)).toEqual([{ names: ["/a", "/b"] }]);
  });
});
`,
    ),
};

function write(root: string, file: string, content: string): void {
  mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  writeFileSync(path.join(root, file), content);
}

/** sha256 of every file under the copied folders, by relative path. */
function tree(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string) => {
    for (const name of readdirSync(path.join(root, dir))) {
      const rel = path.join(dir, name);
      if (statSync(path.join(root, rel)).isDirectory()) walk(rel);
      else
        out.set(
          rel.split(path.sep).join("/"),
          createHash("sha256")
            .update(readFileSync(path.join(root, rel)))
            .digest("hex"),
        );
    }
  };
  for (const dir of COPIED_DIRS) walk(dir);
  return out;
}

const COPIED_DIRS = ["src", "test", "controls", "docs", "schemas", "templates"];
const GENERATED = [
  "src/checks/index.generated.ts",
  "src/collectors/index.generated.ts",
  "docs/CONTROLS.md",
  `test/catalog/__snapshots__/${CHECK.framework}.mapping.txt`,
];

const run = (root: string, command: string) => {
  const [bin, ...args] = command.split(" ");
  return execFileSync(bin!, args, {
    cwd: root,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0", [IN_COPY]: "1" },
  });
};

/** Set in the copy, so a run there that includes this file does not copy again. */
const IN_COPY = "AUDITPACK_RECIPE_COPY";

let root: string;
let before: Map<string, string>;
const recipes = { check: parse(steps("Add a check")), collector: parse(steps("Add a collector")) };

beforeAll(() => {
  if (process.env[IN_COPY]) return;
  root = mkdtempSync(path.join(os.tmpdir(), "auditpack-recipe-"));
  for (const dir of COPIED_DIRS)
    cpSync(path.join(PACKAGE_ROOT, dir), path.join(root, dir), { recursive: true });
  for (const file of ["package.json", "tsconfig.json", "vitest.config.ts"])
    cpSync(path.join(PACKAGE_ROOT, file), path.join(root, file));
  // Read-only inputs are shared, not copied.
  symlinkSync(path.join(PACKAGE_ROOT, "node_modules"), path.join(root, "node_modules"));
  symlinkSync(path.join(PACKAGE_ROOT, "evidence-fixtures"), path.join(root, "evidence-fixtures"));
  before = tree(root);
});

describe.skipIf(Boolean(process.env[IN_COPY]))("docs/ARCHITECTURE.md recipes", () => {
  it("name exactly the files this test knows how to write", () => {
    const named = [...recipes.check.files, ...recipes.collector.files].filter(
      (f) => !f.startsWith("evidence-fixtures"),
    );
    expect(new Set(named)).toEqual(new Set(Object.keys(WRITERS)));
    expect(recipes.check.commands.length).toBeGreaterThan(0);
  });

  it("adding a check and a collector by the steps leaves a copy that typechecks and passes its tests", () => {
    for (const recipe of [recipes.check, recipes.collector]) {
      for (const file of recipe.files) WRITERS[file]?.(root, fill(file));
      for (const command of recipe.commands) {
        if (command.includes("AUDITPACK_UPDATE_TEMPLATES")) continue; // the probe collector is not deployed
        run(root, command);
      }
    }
    run(root, "npx tsc -p tsconfig.json --noEmit");
    const out = run(
      root,
      [
        "npx vitest run --project unit",
        `test/checks/${CHECK.service}/${CHECK.id}.test.ts`,
        `test/collectors/${COLLECTOR.service}/${COLLECTOR.id}.test.ts`,
        "test/architecture/one-home.test.ts",
        "test/collectors/declarations.test.ts",
        "test/catalog",
      ].join(" "),
    );
    // biome-ignore lint/suspicious/noControlCharactersInRegex: strips terminal colours
    expect(out.replace(/\u001b\[[0-9;]*m/g, "")).toMatch(/Tests\s+\d+ passed \(\d+\)/);

    // The check and collector are registered, and only the named and generated files changed.
    const after = tree(root);
    const changed = [...after].filter(([f, h]) => before.get(f) !== h).map(([f]) => f);
    const expected = [...Object.keys(WRITERS).map(fill), ...GENERATED];
    expect(changed.sort()).toEqual([...new Set(expected)].sort());
    expect(readFileSync(path.join(root, "src/checks/index.generated.ts"), "utf8")).toContain(CHECK.id);
    expect(readFileSync(path.join(root, "src/collectors/index.generated.ts"), "utf8")).toContain(
      COLLECTOR.id,
    );
    expect(readFileSync(path.join(root, "docs/CONTROLS.md"), "utf8")).toContain(CHECK.id);
  }, 600_000);
});
