import { existsSync, readdirSync } from "node:fs";
import { rm } from "node:fs/promises";
import path from "node:path";
import type { Command } from "commander";
import { loadScenario } from "../aws/fixtures.js";
import { loadCatalog } from "../catalog/load.js";
import { replayScenario } from "../collectors/replay-scenario.js";
import { parseConfig } from "../config/load.js";
import { UsageError } from "../errors.js";
import { evaluate } from "../evaluate/evaluate.js";
import { parsePeriod } from "../evaluate/period.js";
import { buildReport, readP12 } from "../report/package.js";
import { writeSelfSignedP12File } from "../signing/certificate.js";
import { openSigner } from "../signing/open.js";
import { FsStore } from "../store/fs.js";
import { DEMO_ASSESSMENT } from "./demo-assessment.js";
import { action, examples } from "./program.js";
import { checkInfoFromRegistry, printBuilt } from "./report.js";

interface DemoOptions {
  out: string;
  force: boolean;
}

export const DEMO_SCENARIO = "demo";
export const DEMO_FRAMEWORK = "pci-dss-4.0.1";
export const DEMO_REQUIREMENTS = ["8", "10", "11"];
export const DEMO_PERIOD = "2026-Q3";
const DEMO_ORGANISATION = "Example Payments Ltd (demonstration)";
/** What the demo creates inside --out; --force removes only these. */
const DEMO_PARTS = ["store", "keys", "reports"];

export function registerDemo(program: Command): void {
  const cmd = program
    .command("demo")
    .description(
      "no AWS needed: replay the bundled demo fixtures (2026-Q3 of daily collection runs) into a fresh store and build a signed PCI DSS v4.0.1 package",
    )
    .option("--out <dir>", "where the store, keys and report go", "auditpack-demo")
    .option("--force", "replace an earlier demo in --out (its store, keys and reports folders)", false)
    .action(
      action<DemoOptions>(async (app, options) => {
        const dir = path.resolve(app.cwd, options.out);
        const existing = DEMO_PARTS.filter(
          (p) => existsSync(path.join(dir, p)) && readdirSync(path.join(dir, p)).length > 0,
        );
        if (existing.length > 0) {
          if (!options.force) {
            throw new UsageError(`${dir} already holds a demo (${existing.join(", ")})`, {
              hint: "pass --force to replace it, or choose another --out",
            });
          }
          for (const part of existing) await rm(path.join(dir, part), { recursive: true, force: true });
        }
        const scenario = loadScenario(DEMO_SCENARIO);
        const keyFile = path.join(dir, "keys", "signing-key.pem");
        const config = parseConfig(
          {
            organization: { name: DEMO_ORGANISATION },
            scope: { accounts: scenario.accounts.map((id) => ({ id })), regions: scenario.regions },
            store: { type: "fs", path: path.join(dir, "store") },
            signing: { type: "ed25519", keyFile },
            assessment: DEMO_ASSESSMENT,
          },
          "(demo)",
        );
        const store = new FsStore(path.join(dir, "store"));
        const signer = await openSigner(config.signing, dir, {
          createIfMissing: true,
          log: (l) => app.out.detail(l),
        });

        app.out.info(`collecting the "${DEMO_SCENARIO}" fixtures (${scenario.description})`);
        const summary = await replayScenario({
          store,
          signer,
          config,
          fixtures: scenario,
          seal: true,
          onRun: (run) => app.out.detail(`  run ${run.index + 1}/${run.total} at ${run.clock.toISOString()}`),
        });
        const records = summary.totals.records;
        app.out.info(
          `  ${records} evidence record(s) in ${store.location} from ${summary.runs.length} scheduled runs (${summary.runs[0]!.clock} to ${summary.runs.at(-1)!.clock})`,
        );
        app.out.info(`  ledger sealed after each run: ${summary.runs.length} seals`);

        const catalog = loadCatalog(DEMO_FRAMEWORK);
        const period = parsePeriod(DEMO_PERIOD);
        app.out.info(
          `evaluating ${DEMO_FRAMEWORK} Requirements ${DEMO_REQUIREMENTS.join(", ")} over ${DEMO_PERIOD}`,
        );
        const findings = await evaluate({
          store,
          catalog,
          requirements: DEMO_REQUIREMENTS,
          period,
          now: scenario.clock,
          scope: { accounts: scenario.accounts, regions: scenario.regions },
          ...(config.assessment ? { assessment: config.assessment } : {}),
          trustedKeys: [{ pem: await signer.publicKeyPem(), source: "the demo signer" }],
        });
        const p12File = path.join(dir, "keys", "pdf-signing.p12");
        if (!existsSync(p12File)) await writeSelfSignedP12File(p12File, { commonName: DEMO_ORGANISATION });
        const built = await buildReport({
          findings,
          catalog,
          out: path.join(dir, "reports", `${DEMO_FRAMEWORK}_${DEMO_PERIOD}`),
          sign: { signer, p12: await readP12(p12File) },
          zip: true,
          withEvidence: store,
          organisation: DEMO_ORGANISATION,
          checkInfo: checkInfoFromRegistry,
          log: (line) => app.out.detail(line),
        });

        app.out.info("");
        printBuilt(app.out, built, catalog);
        app.out.info("");
        app.out.info("where everything is:");
        app.out.info(
          `  evidence store   ${store.location}  (check it: auditpack verify --store ${path.join(dir, "store")} --public-key ${path.join(dir, "keys", "signing-key.pub.pem")})`,
        );
        app.out.info(`  signing key      ${keyFile} (public key beside it)`);
        app.out.info(`  PDF certificate  ${p12File}`);
        app.out.info(`  report package   ${built.dir}`);
        app.out.info(
          `requirements: ${Object.entries(findings.summary)
            .map(([s, n]) => `${n} ${s}`)
            .join(", ")}`,
        );
        app.out.result({
          ok: true,
          dir,
          store: store.location,
          records,
          report: built,
          summary: findings.summary,
        });
        return 0;
      }),
    );
  examples(cmd, ["auditpack demo", "auditpack demo --out /tmp/auditpack-demo --force"]);
}
