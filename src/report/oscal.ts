import type {
  EvidenceRef,
  FindingsView,
  ResourceFinding,
  Status,
  StatusInterval,
} from "../evaluate/types.js";
import type { ReportModel } from "./model.js";
import { stableUuid } from "./references.js";
import { writeChunks } from "./stream-file.js";
import { PACKAGE_FILES } from "./verify-text.js";

/**
 * OSCAL 1.0.6 Assessment Plan and Assessment Results (JSON), validated against NIST's schemas in
 * schemas/oscal/. One observation per finding interval (its evidence as relevant-evidence links
 * into the package's evidence/ folder), one finding per requirement whose objective status is
 * satisfied or not-satisfied, with the standard's own status word in props. The results file is
 * streamed observation by observation.
 */

export const OSCAL_VERSION = "1.0.6";
/** Namespace of auditpack's own props (OSCAL requires a URI for non-OSCAL prop names). */
export const AUDITPACK_NS = "https://auditpack.dev/ns/oscal";

/** Statuses that satisfy an objective; every other status (FAIL, ERROR, MANUAL, ...) does not. */
const SATISFIED: ReadonlySet<string> = new Set(["PASS", "NOT_APPLICABLE"]);

export function objectiveState(status: string): "satisfied" | "not-satisfied" {
  return SATISFIED.has(status) ? "satisfied" : "not-satisfied";
}

/** OSCAL tokens start with a letter or "_": "8.3.6" becomes "req-8.3.6". */
export function controlToken(requirementId: string): string {
  return `req-${requirementId.replace(/[^\p{L}\p{N}._-]/gu, "_")}`;
}

function prop(name: string, value: string): Record<string, string> | undefined {
  const v = value.trim();
  return v ? { name, ns: AUDITPACK_NS, value: v } : undefined;
}

function props(...items: Array<Record<string, string> | undefined>): Record<string, string>[] {
  return items.filter((p): p is Record<string, string> => p !== undefined);
}

/** OSCAL strings must not be empty or start/end with white space. */
function text(value: string, fallback: string): string {
  const t = value.trim();
  return t || fallback;
}

function metadata(model: ReportModel, title: string): Record<string, unknown> {
  return {
    title,
    "last-modified": model.generatedAt,
    version: model.reportId,
    "oscal-version": OSCAL_VERSION,
    props: props(
      prop("framework", `${model.framework.name} v${model.framework.version}`),
      prop("period", model.period.label),
      prop("tool", `auditpack ${model.toolVersion}`),
      model.demonstration ? prop("marking", model.demonstration.marking) : undefined,
    ),
  };
}

function reviewedControls(model: ReportModel): Record<string, unknown> {
  return {
    "control-selections": [
      {
        description: `${model.framework.name} v${model.framework.version} requirements in scope`,
        "include-controls": model.requirementsInScope.map((id) => ({ "control-id": controlToken(id) })),
      },
    ],
  };
}

/** The minimal assessment plan the results import: what was reviewed, over which scope. */
export function assessmentPlan(model: ReportModel): Record<string, unknown> {
  return {
    "assessment-plan": {
      uuid: stableUuid(model.reportId, "assessment-plan"),
      metadata: metadata(model, `${model.title}: assessment plan, ${model.period.label}`),
      // auditpack assesses AWS accounts directly; there is no OSCAL SSP, so the plan points at itself.
      "import-ssp": {
        href: `#${stableUuid(model.reportId, "assessment-plan")}`,
        remarks:
          "No system security plan is imported: the assessment subjects are the AWS accounts and regions listed here.",
      },
      "reviewed-controls": reviewedControls(model),
      "assessment-subjects": [
        {
          type: "component",
          description: `AWS accounts ${model.scope.accounts.join(", ") || "(none)"} in regions ${model.scope.regions.join(", ") || "(none)"}`,
          "include-all": {},
        },
      ],
    },
  };
}

export async function writeAssessmentPlan(model: ReportModel, file: string): Promise<void> {
  await writeChunks(file, [`${JSON.stringify(assessmentPlan(model), null, 2)}\n`]);
}

interface ObservationSource {
  requirementId: string;
  checkId: string;
  finding: ResourceFinding;
  /** Interval index, or -1 for a finding without intervals (the whole period). */
  index: number;
  interval?: StatusInterval;
}

function observationUuid(
  model: ReportModel,
  o: Omit<ObservationSource, "interval" | "finding"> & { resource: string },
): string {
  return stableUuid(model.reportId, "observation", o.requirementId, o.checkId, o.resource, String(o.index));
}

function evidenceLink(ref: EvidenceRef): Record<string, unknown> {
  return {
    href: ref.key,
    description: `evidence record ${ref.key}`,
    props: props(prop("sha256", ref.sha256)),
  };
}

function observation(model: ReportModel, o: ObservationSource): Record<string, unknown> {
  const f = o.finding;
  const status: Status = o.interval?.status ?? f.waiver?.originalStatus ?? f.status;
  const evidence = o.interval?.evidence ?? f.evidence;
  const start = o.interval?.start || model.period.start;
  const end = o.interval?.end || model.period.end;
  const reason = o.interval?.reason ?? f.reason;
  const collected = evidence.reduce<string>(
    (latest, e) => (e.collectedAt && e.collectedAt > latest ? e.collectedAt : latest),
    "",
  );
  return {
    uuid: observationUuid(model, { ...o, resource: f.resource }),
    title: `${o.checkId} on ${f.resource}`,
    description: text(`${status} from ${start} to ${end}: ${reason}`, status),
    props: props(
      prop("requirement-id", o.requirementId),
      prop("check-id", o.checkId),
      prop("resource", f.resource),
      prop("account", f.account),
      prop("region", f.region),
      prop("status", status),
      prop("interval-start", start),
      prop("interval-end", end),
      f.waiver ? prop("waiver", f.waiver.id) : undefined,
    ),
    methods: ["TEST"],
    types: ["finding"],
    ...(evidence.length > 0 ? { "relevant-evidence": evidence.map(evidenceLink) } : {}),
    collected: collected || start,
  };
}

function* observationSources(findings: FindingsView): Generator<ObservationSource> {
  for (const req of findings.requirements)
    for (const check of req.checks)
      for (const finding of check.findings) {
        if (finding.intervals.length === 0) {
          yield { requirementId: req.id, checkId: check.id, finding, index: -1 };
          continue;
        }
        for (let index = 0; index < finding.intervals.length; index++)
          yield {
            requirementId: req.id,
            checkId: check.id,
            finding,
            index,
            interval: finding.intervals[index]!,
          };
      }
}

function* resultChunks(findings: FindingsView, model: ReportModel): Generator<string> {
  const head = {
    uuid: stableUuid(model.reportId, "assessment-results"),
    metadata: metadata(model, `${model.title}: assessment results, ${model.period.label}`),
    "import-ap": { href: PACKAGE_FILES.oscalPlan },
  };
  const result = {
    uuid: stableUuid(model.reportId, "result"),
    title: `${model.framework.name} v${model.framework.version}, ${model.period.label}`,
    description: `Automated assessment by auditpack of ${model.requirementsInScope.length} requirement(s) over ${model.period.start} to ${model.period.end} (end exclusive).`,
    start: model.period.start,
    end: model.period.end,
    props: props(prop("report-id", model.reportId)),
    "reviewed-controls": reviewedControls(model),
  };
  const headJson = JSON.stringify(head).slice(0, -1);
  const resultJson = JSON.stringify(result).slice(0, -1);
  yield `{"assessment-results":${headJson},"results":[${resultJson},"observations":[\n`;
  let first = true;
  for (const o of observationSources(findings)) {
    yield `${first ? "" : ",\n"}${JSON.stringify(observation(model, o))}`;
    first = false;
  }
  yield `\n],"findings":[\n`;
  for (let i = 0; i < findings.requirements.length; i++) {
    const req = findings.requirements[i]!;
    const related: Array<{ "observation-uuid": string }> = [];
    for (const check of req.checks)
      for (const f of check.findings) {
        const indexes = f.intervals.length === 0 ? [-1] : f.intervals.map((_, n) => n);
        for (const index of indexes)
          related.push({
            "observation-uuid": observationUuid(model, {
              requirementId: req.id,
              checkId: check.id,
              resource: f.resource,
              index,
            }),
          });
      }
    const finding = {
      uuid: stableUuid(model.reportId, "finding", req.id),
      title: text(`${req.id} ${req.title}`, req.id),
      description: text(req.reason ?? `${req.id} is ${req.status} over ${model.period.label}.`, req.status),
      props: props(prop("requirement-id", req.id), prop("status", req.status)),
      target: {
        type: "objective-id",
        "target-id": `${controlToken(req.id)}_obj`,
        status: {
          state: objectiveState(req.status),
          // The state is two-valued: say why a requirement that neither passed nor failed is where it is.
          ...(req.status === "PASS" || req.status === "FAIL"
            ? {}
            : { reason: req.status.toLowerCase().replace(/_/g, "-") }),
        },
      },
      ...(related.length > 0 ? { "related-observations": related } : {}),
    };
    yield `${JSON.stringify(finding)}${i < findings.requirements.length - 1 ? ",\n" : "\n"}`;
  }
  yield "]}]}}\n";
}

export async function writeAssessmentResults(
  findings: FindingsView,
  model: ReportModel,
  file: string,
): Promise<void> {
  await writeChunks(file, resultChunks(findings, model));
}
