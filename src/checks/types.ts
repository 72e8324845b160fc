import type { z } from "zod";
import type { AnyState, ResourceType, StateTypes } from "../state/types.js";

/**
 * What a check says about one resource state. ERROR when the evidence leaves the answer unknown;
 * MANUAL for a stated limitation (what must be judged elsewhere, e.g. in another account).
 */
export interface CheckOutcome {
  status: "PASS" | "FAIL" | "ERROR" | "NOT_APPLICABLE" | "MANUAL";
  /** Names the resource and the value seen, e.g. "user pool x (eu-west-1_AbC) requires 8 characters; 12 required". */
  reason: string;
}

export type Severity = "low" | "medium" | "high" | "critical";

/**
 * One pure check (one per file under src/checks/<service>/<id>.ts). It evaluates a normalized state
 * of a resource at a time; the evaluator runs it over every state in the period.
 */
export interface Check<S extends AnyState = AnyState, P = Record<string, unknown>> {
  id: string;
  title: string;
  /** Its folder under src/checks/ (a test keeps them equal), e.g. "cognito". */
  service: string;
  severity: Severity;
  resourceType: ResourceType;
  description: string;
  remediation: string;
  /** Validates the catalog's parameters and fills defaults. */
  paramsSchema: z.ZodType<P>;
  evaluate(state: S, params: P): CheckOutcome;
  /** Which resources the check is about (e.g. only security log groups); all when absent. */
  appliesTo?(state: S, params: P): boolean;
  /**
   * What it means when an account and region has none of these resources (with evidence showing
   * so). Default NOT_APPLICABLE; the reason says why that is legitimate.
   */
  whenNone?(params: P): { status: "NOT_APPLICABLE" | "FAIL"; reason: string };
}

/** A check over any state type, as the registry holds them. */
// biome-ignore lint/suspicious/noExplicitAny: the registry holds checks of every state and parameter type
export type AnyCheck = Check<any, any>;

export type StateOf<T extends ResourceType> = StateTypes[T];
