import type { TDocumentDefinitions } from "pdfmake/interfaces.js";
import type { FindingsView } from "../evaluate/types.js";
import type { ReportModel } from "./model.js";
import { auditorDocument } from "./pdf/auditor.js";
import { customerDocument } from "./pdf/customer.js";
import { renderDocument } from "./pdf/kit.js";

/**
 * The two PDFs, both from the one report model, both drawn with the primitives in pdf/kit.ts:
 * report.pdf for assessors (pdf/auditor.ts) and summary.pdf for customers (pdf/customer.ts).
 */

export { wrapIdentifier } from "./pdf/kit.js";

export async function renderPdf(model: ReportModel): Promise<Buffer> {
  return renderDocument(auditorDocument(model));
}

export async function renderSummaryPdf(model: ReportModel, findings: FindingsView): Promise<Buffer> {
  return renderDocument(customerDocument(model, findings));
}

export function documentDefinition(model: ReportModel): TDocumentDefinitions {
  return auditorDocument(model);
}
