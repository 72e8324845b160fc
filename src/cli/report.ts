import { existsSync, statSync } from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import { loadCatalog } from "../catalog/load.js";
import type { Catalog } from "../catalog/types.js";
import { S3StoreSchema } from "../config/schema.js";
import { UsageError, VerificationError } from "../errors.js";
import { evaluateStreaming } from "../evaluate/evaluate.js";
import { mergeFromPartialsStreaming } from "../evaluate/merge.js";
import { parsePartialsLocation } from "../evaluate/partial.js";
import { parsePeriod } from "../evaluate/period.js";
import { describeScope, resolveScope } from "../evaluate/scope.js";
import type { FindingsView } from "../evaluate/types.js";
import { defaultWaiversPath, loadWaivers } from "../evaluate/waivers.js";
import { ignoredWarning } from "../evidence/vouched.js";
import { checkAttestationDates } from "../report/attestation.js";
import { checkInfoFromRegistry } from "../report/check-info.js";
import { lastDayOf } from "../report/model.js";
import {
  type BuiltReport,
  buildReport,
  checkTarget,
  formatsFor,
  type PdfCertificate,
  parseAudience,
  REPORT_FORMATS,
  type ReportFormat,
  readP12,
} from "../report/package.js";
import { PACKAGE_PDFS, verifyCommands } from "../report/verify-text.js";
import { writeSelfSignedP12File } from "../signing/certificate.js";
import { FsStore } from "../store/fs.js";
import { openStore } from "../store/open.js";
import type { EvidenceStore } from "../store/types.js";
import type { CliApp } from "./app.js";
import { printIgnored } from "./evaluate.js";
import { ACCOUNTS_PER_BATCH_HELP, commaList, parseAccountsPerBatch } from "./options.js";
import type { Output } from "./output.js";
import { action, examples } from "./program.js";
import { requireTrustAnchors } from "./trust.js";

interface ReportCliOptions {
  framework: string;
  requirements?: string;
  period: string;
  format?: string;
  audience: string;
  out?: string;
  template?: string;
  waivers?: string;
  sign: boolean;
  allowUnverified: boolean;
  zip: boolean;
  force: boolean;
  withEvidence: boolean;
  accountsPerBatch?: string;
  fromPartials?: string;
}

export function registerReport(program: Command): void {
  const cmd = program
    .command("report")
    .description(
      "evaluate a framework over a period and build a signed report package (summary and auditor PDFs, Excel, HTML, JSON, CSV, OSCAL, OCSF)",
    )
    .requiredOption("--framework <id>", "framework id, e.g. pci-dss-4.0.1")
    .option(
      "--requirements <ids>",
      "comma-separated requirement ids; each includes its sub-requirements (default: all)",
    )
    .requiredOption("--period <period>", "2026-Q3, 2026-08 or 2026-07-01..2026-09-30 (UTC)")
    .option(
      "--audience <who>",
      `customer (summary.pdf, OSCAL, OCSF), auditor (report.pdf, report.xlsx, report.html, findings JSON/CSV, OSCAL, OCSF) or all`,
      "all",
    )
    .option(
      "--format <list>",
      `comma-separated outputs within the audience's set: ${REPORT_FORMATS.join(",")} (default: the whole set)`,
    )
    .option("--out <dir>", "package directory (default: reports/<framework>_<period>)")
    .option("--template <dir>", "directory overriding templates/report (branding.yaml, text.yaml, layout/)")
    .option("--waivers <file>", "waivers file (default: waivers.yaml beside the config, when present)")
    .option("--no-sign", "do not sign SHA256SUMS or the PDF (integrity checksums only)")
    .option(
      "--allow-unverified",
      "sign even when evidence in the period is not vouched for by the ledger (every page and findings.json say so)",
      false,
    )
    .option("--zip", "also write <out>.zip", false)
    .option("--force", "replace an existing package at --out", false)
    .option(
      "--with-evidence",
      "copy every evidence record the evaluation read into the package's evidence/ folder (report.html links them)",
      false,
    )
    .option("--accounts-per-batch <n>", ACCOUNTS_PER_BATCH_HELP)
    .option(
      "--from-partials <location>",
      "build the package from an evaluation's findings partials (the AWS evaluate Map's output) instead of evaluating: s3://<bucket>/evaluations/<id>/partials/ or a directory; they must be of --framework and --period",
    )
    .action(action<ReportCliOptions>(async (app, options) => runReport(app, options)));
  cmd.addHelpText(
    "after",
    "\nScope: accounts and regions come from the config's scope, else every one the store holds evidence for;\nthe line printed before the evaluation says which.\n",
  );
  examples(cmd, [
    "auditpack report --framework pci-dss-4.0.1 --period 2026-Q3",
    "auditpack report --framework pci-dss-4.0.1 --requirements 8,10,11 --period 2026-Q3 --zip",
    "auditpack report --framework pci-dss-4.0.1 --period 2026-07-01..2026-09-30 --format pdf,xlsx --out out/q3",
    "auditpack report --framework pci-dss-4.0.1 --period 2026-08 --template ./my-branding --no-sign",
    "auditpack report --framework pci-dss-4.0.1 --period 2026-Q3 --with-evidence --zip",
    "auditpack report --framework pci-dss-4.0.1 --period 2026-Q3 --audience customer --out out/customer-q3",
  ]);
}

async function runReport(app: CliApp, options: ReportCliOptions): Promise<number> {
  // Options are checked before the store or the keys are touched.
  const period = parsePeriod(options.period);
  checkAttestationDates(app.config.config.attestation, lastDayOf(period.end.toISOString()));
  const formats = formatsFor(parseAudience(options.audience), options.format?.split(","));
  const accountsPerBatch = parseAccountsPerBatch(options.accountsPerBatch);
  const catalog = loadCatalog(options.framework, { notify: app.out.notice });
  const requirements = commaList(options.requirements);
  if (options.requirements !== undefined && (requirements?.length ?? 0) === 0) {
    throw new UsageError("--requirements names no requirement", { hint: "e.g. --requirements 8,10,11" });
  }
  const out = path.resolve(
    app.cwd,
    options.out ?? path.join("reports", `${catalog.framework.id}_${period.label.replace(/\.\./g, "_to_")}`),
  );
  // Refused before the keys or the PDF certificate could be created (nothing is written on exit 2).
  checkTarget(out, options.zip ? `${out}.zip` : undefined, options.force);
  const waivers = options.waivers
    ? loadWaivers(path.resolve(app.cwd, options.waivers), { explicit: true, catalog })
    : loadWaivers(defaultWaiversPath(app.config.baseDir), { explicit: false, catalog });

  const trustedKeys = await requireTrustAnchors(app);
  const assessment = app.config.config.assessment ? { assessment: app.config.config.assessment } : {};
  const build = (findings: FindingsView) =>
    packageFindings(app, options, findings, { catalog, out, formats });
  if (options.fromPartials) {
    if (options.requirements !== undefined || accountsPerBatch !== undefined)
      throw new UsageError(
        "--from-partials takes the requirements and scope of the evaluation that made the partials",
        { hint: "leave out --requirements and --accounts-per-batch" },
      );
    const partials = partialsSource(app, options.fromPartials);
    app.out.info(`merging the findings partials in ${partials.where}`);
    return mergeFromPartialsStreaming(
      {
        store: app.store(),
        partials,
        expect: { framework: catalog.framework.id, period: period.label },
        catalog,
        waivers,
        ...assessment,
        trustedKeys,
      },
      (findings) => {
        app.out.info(
          `scope: accounts ${findings.scope.accounts.join(", ")}; regions ${findings.scope.regions.join(", ")} (from the partials' evaluation ${partials.where})`,
        );
        return build(findings);
      },
    );
  }
  app.out.info(`evaluating ${catalog.framework.id} over ${period.label}`);
  // The same scope resolution as `evaluate` and the library: config's scope, else the store's.
  const scope = await resolveScope({
    store: app.store(),
    config: app.config.config,
    configFile: app.config.file,
  });
  app.out.info(describeScope(scope));
  // Each account's findings spill to disk while the next is read; every output then reads them
  // back from there as it is written, so the findings are never all in memory at once.
  return evaluateStreaming(
    {
      store: app.store(),
      catalog,
      ...(requirements ? { requirements } : {}),
      period,
      waivers,
      now: new Date(),
      scope: { accounts: scope.accounts, regions: scope.regions },
      ...assessment,
      trustedKeys,
      ...(accountsPerBatch ? { accountsPerBatch } : {}),
    },
    build,
  );
}

/** Sign (unless told not to) and write the package of these findings, then say what was written. */
async function packageFindings(
  app: CliApp,
  options: ReportCliOptions,
  findings: FindingsView,
  target: { catalog: Catalog; out: string; formats: ReportFormat[] },
): Promise<number> {
  const { catalog, out, formats } = target;
  const ledger = findings.ledger;
  if (ledger && !ledger.verified) {
    printIgnored(app.out, findings);
    if (options.sign && !options.allowUnverified) {
      throw new VerificationError(
        `refusing to sign a report whose evidence does not verify: ${ignoredWarning(ledger.ignored.length)}`,
        {
          hint: "run `auditpack verify` (and `auditpack recover` after an interrupted collect); --allow-unverified signs a package marked UNVERIFIED on every page",
        },
      );
    }
    ledger.unverifiedAllowed = true;
  }
  const sign = options.sign ? { signer: await app.signer(), p12: await pdfCertificate(app) } : false;
  const built = await buildReport({
    findings,
    catalog,
    out,
    formats,
    sign,
    zip: options.zip,
    force: options.force,
    organisation: app.config.config.organization.name,
    checkInfo: checkInfoFromRegistry,
    ...(app.config.config.attestation ? { attestation: app.config.config.attestation } : {}),
    ...(options.withEvidence ? { withEvidence: app.store() } : {}),
    ...(options.template ? { template: path.resolve(app.cwd, options.template) } : {}),
    log: (line) => app.out.detail(line),
  });
  printBuilt(app.out, built, catalog);
  // What the evidence could prove, and from when (findings.json "coverage").
  for (const c of findings.coverage ?? []) app.out.info(`coverage ${c.summary}`);
  app.out.result({ ok: true, ...built, summary: findings.summary, ledger: findings.ledger });
  return 0;
}

export { checkInfoFromRegistry };

/**
 * The PKCS#12 for the embedded PDF signature: signing.p12File from the config, or pdf-signing.p12
 * beside the key file (where `auditpack keys generate` puts it), created self-signed on first use.
 */
export async function pdfCertificate(app: CliApp): Promise<PdfCertificate> {
  const signing = app.config.config.signing;
  if (signing.p12File) {
    const file = app.resolvePath(signing.p12File);
    if (!existsSync(file)) {
      throw new UsageError(`signing.p12File ${file} does not exist`, {
        hint: "create it with `auditpack keys generate --p12 <path>`, or remove signing.p12File to use the default",
      });
    }
    return readP12(file, signing.p12Passphrase);
  }
  const keyFile = app.resolvePath(
    signing.type === "ed25519" ? signing.keyFile : "./auditpack-keys/signing-key.pem",
  );
  const file = path.join(path.dirname(keyFile), "pdf-signing.p12");
  if (!existsSync(file)) {
    try {
      await writeSelfSignedP12File(file, {
        commonName: app.config.config.organization.name,
        passphrase: signing.p12Passphrase ?? "",
      });
      app.out.info(
        `created a self-signed PDF signing certificate ${file} (replace it with your own via signing.p12File)`,
      );
    } catch (error) {
      // Another process created it first: use theirs.
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  }
  return readP12(file, signing.p12Passphrase);
}

export function printBuilt(out: Output, built: BuiltReport, catalog: Catalog): void {
  out.info(
    `report ${built.reportId} (${catalog.framework.name} v${catalog.framework.version}) written to ${built.dir}`,
  );
  if (built.demonstration)
    out.info("  DEMONSTRATION DATA: built from fixtures, not evidence of a real environment");
  const records = built.files.filter((f) => f.name.startsWith("evidence/"));
  for (const f of built.files.filter((x) => !x.name.startsWith("evidence/")))
    out.info(`  ${f.name.padEnd(30)} ${f.size.toString().padStart(10)} bytes  sha256 ${f.sha256}`);
  if (records.length > 0) {
    const bytes = records.reduce((n, f) => n + f.size, 0);
    out.info(
      `  ${"evidence/".padEnd(30)} ${bytes.toString().padStart(10)} bytes  ${records.length} evidence record(s), each in SHA256SUMS`,
    );
  }
  if (built.zip) out.info(`  zipped: ${built.zip}`);
  if (built.signed) {
    out.info(`signed with ${built.algorithm} key ${built.keyId}`);
  } else {
    out.info("not signed (--no-sign): SHA256SUMS only");
  }
  out.info(`verify (in ${built.dir}):`);
  const pdfs = PACKAGE_PDFS.filter((name) => built.files.some((f) => f.name === name));
  for (const c of verifyCommands(built.algorithm, pdfs)) out.info(`  ${c.command}`);
  out.info(`  auditpack verify-report ${built.dir}`);
}

/** The store and prefix --from-partials names: an S3 location (the configured store's connection), or a directory. */
function partialsSource(app: CliApp, value: string): { store: EvidenceStore; prefix: string; where: string } {
  const location = parsePartialsLocation(value);
  if (location.kind === "dir") {
    const dir = path.resolve(app.cwd, location.dir);
    if (!existsSync(dir) || !statSync(dir).isDirectory())
      throw new UsageError(`--from-partials: ${dir} is not a directory`, {
        hint: "give the directory holding <account>_<sha256>.json partials, or an s3:// URL",
      });
    return { store: new FsStore(dir), prefix: "", where: dir };
  }
  const configured = app.config.config.store;
  const connection =
    configured.type === "s3" ? configured : S3StoreSchema.parse({ type: "s3", bucket: location.bucket });
  return {
    store: openStore(
      { ...connection, bucket: location.bucket, prefix: location.prefix },
      app.config.baseDir,
      app.config.config.aws,
    ),
    prefix: "",
    where: value,
  };
}
