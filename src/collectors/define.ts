import { iamAction } from "../aws/services.js";
import type { Collector, CollectorDeclaration } from "./types.js";

/** A collector from its declaration: the IAM actions follow from its service and operations. */
export function defineCollector<O = Record<string, unknown>>(
  declaration: CollectorDeclaration<O>,
): Collector<O> {
  return {
    ...declaration,
    iamActions: declaration.operations.map((operation) => iamAction(declaration.service, operation)),
  };
}
