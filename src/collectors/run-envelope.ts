import {
  EVIDENCE_SCHEMA,
  type EvidenceCall,
  type EvidencePeriod,
  type EvidenceRecord,
} from "../evidence/record.js";
import { redact } from "../evidence/redact.js";
import type { Plan } from "./run-types.js";

/** Where a record was collected: the envelope members the runner knows, not the collector. */
export interface EnvelopeScope {
  collector: string;
  account: string;
  region: string;
  runId: string;
}

/**
 * Wrap a collector's payload in an evidence record (DESIGN.md section 3), redacted before it is
 * stored or shown.
 */
export function envelope(
  plan: Plan,
  scope: EnvelopeScope,
  redaction: { pseudonymizeKey?: string },
  calls: EvidenceCall[],
  payload: unknown,
  period?: EvidencePeriod,
): EvidenceRecord {
  const record: EvidenceRecord = {
    schema: EVIDENCE_SCHEMA,
    collector: scope.collector,
    ...plan.source.label,
    account: scope.account,
    region: scope.region,
    collectedAt: plan.now().toISOString(),
    runId: scope.runId,
    ...(period ? { period } : {}),
    calls,
    payload,
  };
  return secure(record, redaction);
}

/** Redact payload and call parameters before the record is stored or shown. */
function secure(record: EvidenceRecord, options: { pseudonymizeKey?: string }): EvidenceRecord {
  const payload = redact(record.payload, options);
  const calls = record.calls.map((call, i) => {
    if (!call.params) return { value: call, redactions: [] as string[] };
    const params = redact(call.params, options, `calls[${i}].params`);
    return { value: { ...call, params: params.value }, redactions: params.redactions };
  });
  const redactions = [...payload.redactions, ...calls.flatMap((c) => c.redactions)];
  if (payload.pseudonymized > 0) redactions.push("(user names pseudonymized with HMAC-SHA256)");
  const out: EvidenceRecord = { ...record, calls: calls.map((c) => c.value), payload: payload.value };
  if (redactions.length > 0) out.redactions = redactions;
  return out;
}
