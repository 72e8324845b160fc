import { readFileSync } from "node:fs";
import { buildReportModel } from "../../src/report/model.js";
import { documentDefinition, renderPdf } from "../../src/report/pdf.js";
import { loadReportTemplate } from "../../src/report/templates.js";

const g = globalThis as unknown as { gc: () => void };
const mb = (l: string) => {
  const b = Math.round(process.memoryUsage().heapUsed / 1e6);
  g.gc();
  console.log(
    l,
    "before-gc",
    b,
    "heap",
    Math.round(process.memoryUsage().heapUsed / 1e6),
    "peak",
    Math.round(process.resourceUsage().maxRSS / 1e3),
  );
};
mb("start");
const findings = JSON.parse(readFileSync(process.argv[2]!, "utf8"));
mb("findings parsed");
const model = buildReportModel({ findings, template: loadReportTemplate(findings.framework.id) });
mb("model");
const def = documentDefinition(model);
mb("definition");
const s = JSON.stringify(def.content).length;
console.log("definition JSON chars", s);
const buf = await renderPdf(model);
mb(`pdf ${buf.length}`);
