import type { EvidenceRef, FindingsView, ResourceFinding, StatusInterval } from "../evaluate/types.js";
import { lastDayOf, type ReportModel } from "./model.js";
import { EvidenceReferences } from "./references.js";
import { writeChunks } from "./stream-file.js";

/**
 * report.html: one self-contained page (inline CSS and a small inline script; a Content Security
 * Policy forbids any request) to drill from a requirement to its checks, resource findings,
 * intervals and the evidence records behind them. Streamed row by row: the page is never built
 * as one string.
 */

export interface HtmlOptions {
  /** The package holds evidence/<key> (report --with-evidence): link each record's JSON. */
  evidenceLinks: boolean;
}

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** Each interval row links at most this many evidence records; the rest are counted. */
const MAX_LINKS_PER_INTERVAL = 12;

const STYLE = `
:root{--muted:#666;--rule:#ddd}
body{font:14px/1.4 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;color:#222}
header{padding:16px 24px;border-bottom:1px solid var(--rule)}
h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;margin:24px 0 8px}
.marking{background:#fde8e8;color:#a00;font-weight:600;padding:6px 24px}
main{padding:0 24px 48px}
.controls{position:sticky;top:0;background:#fff;padding:10px 0;border-bottom:1px solid var(--rule);display:flex;gap:12px;align-items:center;z-index:1}
input[type=search]{width:28em;padding:5px 8px;font:inherit}
select{padding:4px;font:inherit}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;vertical-align:top;padding:4px 6px;border-bottom:1px solid var(--rule)}
th{background:#f3f5f8;font-size:12px}
td.id,td.mono,.mono{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px;overflow-wrap:anywhere}
.st{font-weight:600;white-space:nowrap}
details summary{cursor:pointer;color:#235}
table.iv{margin:4px 0;background:#fafafa}
table.iv td,table.iv th{font-size:12px}
.muted{color:var(--muted)}
.counts span{margin-right:14px}
tr.ev:target{background:#fff6d5}
`;

const SCRIPT = `
(function(){
  var q=document.getElementById('q'),s=document.getElementById('status'),n=document.getElementById('shown');
  var rows=Array.prototype.slice.call(document.querySelectorAll('#findings > tbody > tr'));
  var text=null;
  function apply(){
    if(!text)text=rows.map(function(r){return r.textContent.toLowerCase();});
    var words=q.value.toLowerCase().split(/\\s+/).filter(Boolean),st=s.value,shown=0;
    for(var i=0;i<rows.length;i++){
      var ok=(!st||rows[i].getAttribute('data-status')===st);
      for(var w=0;ok&&w<words.length;w++)ok=text[i].indexOf(words[w])>=0;
      rows[i].hidden=!ok;if(ok)shown++;
    }
    n.textContent=shown+' of '+rows.length+' findings shown';
  }
  q.addEventListener('input',apply);s.addEventListener('change',apply);
  var h=location.hash.slice(1);if(h&&!document.getElementById(h)){q.value=decodeURIComponent(h);}
  apply();
})();
`;

function statusCell(model: ReportModel, status: string, extra = ""): string {
  const colours = model.branding.status as Record<string, string>;
  const colour = colours[status] ?? "#555555";
  return `<td class="st" style="color:${colour}">${escapeHtml(status.replace(/_/g, " "))}${extra}</td>`;
}

function evidenceCell(refs: EvidenceReferences, evidence: EvidenceRef[]): string {
  const numbers = [...new Set(evidence.map((e) => refs.number(e.key)).filter((n) => n !== undefined))].sort(
    (a, b) => a - b,
  );
  const links = numbers.slice(0, MAX_LINKS_PER_INTERVAL).map((n) => `<a href="#E${n}">E${n}</a>`);
  const more =
    numbers.length > MAX_LINKS_PER_INTERVAL
      ? ` +${numbers.length - MAX_LINKS_PER_INTERVAL} more (${refs.refs(evidence.map((e) => e.key))})`
      : "";
  return `<td class="mono">${links.join(" ")}${escapeHtml(more)}</td>`;
}

function intervalRows(model: ReportModel, refs: EvidenceReferences, f: ResourceFinding): string {
  const intervals: StatusInterval[] =
    f.intervals.length > 0
      ? f.intervals
      : [
          {
            start: "",
            end: "",
            status: f.waiver?.originalStatus ?? f.status,
            reason: f.reason,
            evidence: f.evidence,
          },
        ];
  const rows = intervals.map(
    (i) =>
      `<tr><td class="mono">${escapeHtml(i.start)}</td><td class="mono">${escapeHtml(i.end)}</td>${statusCell(model, i.status)}<td>${escapeHtml(i.reason)}</td>${evidenceCell(refs, i.evidence)}</tr>`,
  );
  return `<details><summary>${intervals.length} interval(s)</summary><table class="iv"><thead><tr><th>From (UTC)</th><th>To (UTC)</th><th>Status</th><th>Reason</th><th>Evidence</th></tr></thead><tbody>${rows.join("")}</tbody></table></details>`;
}

function* pageChunks(findings: FindingsView, model: ReportModel, options: HtmlOptions): Generator<string> {
  const refs = new EvidenceReferences(model.evidenceIndex);
  const title = `${model.organisation}: ${model.title}, ${model.period.label}`;
  yield `<!doctype html>\n<html lang="en"><head><meta charset="utf-8">`;
  yield `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">`;
  yield `<meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>\n`;
  if (model.demonstration) yield `<div class="marking">${escapeHtml(model.demonstration.marking)}</div>\n`;
  yield `<header><h1>${escapeHtml(title)}</h1><div class="muted">Report ${escapeHtml(model.reportId)} · ${escapeHtml(model.period.start.slice(0, 10))} to ${escapeHtml(lastDayOf(model.period.end))} · accounts ${escapeHtml(model.scope.accounts.join(", ") || "(none)")} · regions ${escapeHtml(model.scope.regions.join(", ") || "(none)")} · generated ${escapeHtml(model.generatedAt)}</div>`;
  yield `<div class="counts">${Object.entries(model.summary.requirementCounts)
    .map(([s, n]) => `<span>${escapeHtml(s.replace(/_/g, " "))}: <b>${n}</b> requirement(s)</span>`)
    .join("")}</div></header>\n<main>\n`;

  // Requirements and their checks.
  yield `<h2 id="requirements">Requirements</h2><table id="requirement-table"><thead><tr><th>Requirement</th><th>Title</th><th>Status</th><th>Checks (failing of resources)</th><th>Failing days</th></tr></thead><tbody>\n`;
  for (const s of model.groups.flatMap((g) => g.requirements)) {
    const checks = s.checks
      .map(
        (c) =>
          `<div><a class="mono" href="#" data-filter="${escapeHtml(c.id)}">${escapeHtml(c.id)}</a> <span class="muted">${c.failing} of ${c.resources}</span></div>`,
      )
      .join("");
    yield `<tr id="req-${escapeHtml(s.id)}"><td class="id">${escapeHtml(s.id)}</td><td>${escapeHtml(s.title)}</td>${statusCell(model, s.status)}<td>${checks || '<span class="muted">manual</span>'}</td><td>${s.failingDays}</td></tr>\n`;
  }
  yield `</tbody></table>\n`;

  // Manual evidence: who attached each file, when, and for which dates.
  const attached = model.groups.flatMap((g) =>
    g.requirements.flatMap((s) => s.attachments.map((a) => ({ s, a }))),
  );
  yield `<h2 id="attachments">Attached evidence</h2>`;
  if (attached.length === 0)
    yield `<p class="muted">Nothing is attached to the requirements of this report.</p>\n`;
  else {
    yield `<table id="attachment-table"><thead><tr><th>Requirement</th><th>File</th><th>Note</th><th>Attached by</th><th>Attached at (UTC)</th><th>Valid</th><th>Evidence</th></tr></thead><tbody>\n`;
    for (const { s, a } of attached) {
      yield `<tr><td class="id">${escapeHtml(s.id)}</td><td>${escapeHtml(a.fileName)}</td><td>${escapeHtml(a.note ?? "")}</td><td>${escapeHtml(a.attachedBy)}</td><td class="mono">${escapeHtml(a.attachedAt)}</td><td class="mono">${escapeHtml(`${a.validFrom ?? a.attachedAt} to ${a.validTo ?? "(open)"}`)}</td>${evidenceCell(refs, [{ key: a.key, sha256: a.sha256 }])}</tr>\n`;
    }
    yield `</tbody></table>\n`;
  }

  // Findings: one row per resource and check, its intervals folded underneath.
  const statuses = Object.keys(model.summary.findingCounts);
  yield `<h2 id="findings-heading">Findings</h2><div class="controls"><input id="q" type="search" placeholder="Filter: requirement, check, resource, account, reason..." aria-label="Filter findings"><select id="status" aria-label="Status"><option value="">all statuses</option>${statuses
    .map((s) => `<option value="${escapeHtml(s)}">${escapeHtml(s.replace(/_/g, " "))}</option>`)
    .join("")}</select><span id="shown" class="muted"></span></div>\n`;
  yield `<table id="findings"><thead><tr><th>Requirement</th><th>Check</th><th>Resource</th><th>Account</th><th>Region</th><th>Status</th><th>Reason</th><th>Intervals and evidence</th></tr></thead><tbody>\n`;
  for (const req of findings.requirements)
    for (const check of req.checks)
      for (const f of check.findings) {
        const waived = f.waiver
          ? ` <span class="muted">(waiver ${escapeHtml(f.waiver.id)}, was ${escapeHtml(f.waiver.originalStatus)})</span>`
          : "";
        yield `<tr data-status="${escapeHtml(f.status)}"><td class="id">${escapeHtml(req.id)}</td><td class="mono">${escapeHtml(check.id)}</td><td class="mono">${escapeHtml(f.resource)}</td><td class="mono">${escapeHtml(f.account)}</td><td>${escapeHtml(f.region)}</td>${statusCell(model, f.status, waived)}<td>${escapeHtml(f.reason)}</td><td>${intervalRows(model, refs, f)}</td></tr>\n`;
      }
  yield `</tbody></table>\n`;

  // Evidence index: the records every E-number refers to.
  yield `<h2 id="evidence">Evidence records</h2><p class="muted">${model.evidenceIndex.length} record(s). E-numbers are the same in report.pdf and report.xlsx (sheet Evidence). Each record is canonical JSON; <code>sha256sum</code> of it reproduces its SHA-256.${options.evidenceLinks ? " The key links the record's JSON inside this package." : " Build the package with <code>--with-evidence</code> to include the records themselves."}</p>`;
  yield `<table id="evidence-table"><thead><tr><th>Ref</th><th>Key</th><th>SHA-256</th><th>Collector</th><th>Collected (UTC)</th><th>Cited by</th></tr></thead><tbody>\n`;
  let n = 0;
  for (const e of model.evidenceIndex) {
    n += 1;
    const key = options.evidenceLinks
      ? `<a href="${escapeHtml(encodeURI(e.key))}">${escapeHtml(e.key)}</a>`
      : escapeHtml(e.key);
    yield `<tr class="ev" id="E${n}"><td class="id">E${n}</td><td class="mono">${key}</td><td class="mono">${e.sha256}</td><td>${escapeHtml(e.collector)}</td><td class="mono">${escapeHtml(e.collectedAt ?? "")}</td><td>${escapeHtml(e.requirements.join(", "))}</td></tr>\n`;
  }
  yield `</tbody></table>\n</main>\n`;
  yield `<script>${SCRIPT}document.querySelectorAll('[data-filter]').forEach(function(a){a.addEventListener('click',function(e){e.preventDefault();var q=document.getElementById('q');q.value=a.getAttribute('data-filter');q.dispatchEvent(new Event('input'));document.getElementById('findings-heading').scrollIntoView();});});</script>\n</body></html>\n`;
}

export async function writeHtml(
  findings: FindingsView,
  model: ReportModel,
  file: string,
  options: HtmlOptions,
): Promise<void> {
  await writeChunks(file, pageChunks(findings, model, options));
}
