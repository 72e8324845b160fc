import { getCheck, hasCheck } from "../checks/registry.js";
import type { CheckInfo } from "./model.js";

/** A check's title, description and severity for the report, from the check registry. */
export function checkInfoFromRegistry(checkId: string): CheckInfo | undefined {
  if (!hasCheck(checkId)) return undefined;
  const check = getCheck(checkId);
  return { title: check.title, description: check.description, severity: check.severity };
}
