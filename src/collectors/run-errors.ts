import { describeNetworkFailure } from "../aws/errors.js";
import { describeError as describeErrorInfo, type ErrorInfo } from "../errors.js";
import { redactText } from "../evidence/redact.js";

/**
 * describeError (errors.ts) as evidence and logs keep it: AWS messages can quote request values
 * (names, parameters), so secrets are redacted; network failures and timeouts say so, naming the
 * timeout that fired.
 */
export function describeError(error: unknown): ErrorInfo {
  const info = describeErrorInfo(error);
  info.message = redactText(info.message);
  return Object.assign(info, describeNetworkFailure(error));
}
