import type { AuditpackConfig } from "../config/schema.js";
import type { EvidenceStore } from "../store/types.js";
import { discoverScope } from "./read.js";

/** Where each half of an evaluation's scope came from. */
export type ScopeSource = "flags" | "config" | "store";

export interface ResolvedScope {
  accounts: string[];
  regions: string[];
  from: { accounts: ScopeSource; regions: ScopeSource };
  /** The config file when a half came from it. */
  configFile?: string;
}

export interface ResolveScopeOptions {
  store: EvidenceStore;
  /** The loaded config (its scope.accounts and scope.regions). */
  config?: Pick<AuditpackConfig, "scope">;
  /** The file the config came from, for messages. */
  configFile?: string;
  /** Explicit accounts and regions (command-line flags, a caller's choice): they win. */
  accounts?: readonly string[];
  regions?: readonly string[];
}

/**
 * The accounts and regions an evaluation covers: the CLI (`evaluate`, `report`) and library callers
 * use this one function, so the same config and evidence give the same findings everywhere. Each half
 * separately: explicit values first, then the config's scope, then what the store holds evidence for
 * (keys only). An example config whose scope is commented out therefore evaluates everything stored.
 */
export async function resolveScope(options: ResolveScopeOptions): Promise<ResolvedScope> {
  const configured = options.config?.scope;
  let discovered: Promise<{ accounts: string[]; regions: string[] }> | undefined;
  const fromStore = () => {
    discovered ??= discoverScope(options.store);
    return discovered;
  };
  const pick = async (
    explicit: readonly string[] | undefined,
    config: readonly string[] | undefined,
    half: "accounts" | "regions",
  ): Promise<[string[], ScopeSource]> => {
    if (explicit && explicit.length > 0) return [[...explicit], "flags"];
    if (config && config.length > 0) return [[...config], "config"];
    return [(await fromStore())[half], "store"];
  };
  const [accounts, accountsFrom] = await pick(
    options.accounts,
    configured?.accounts.map((a) => a.id),
    "accounts",
  );
  const [regions, regionsFrom] = await pick(options.regions, configured?.regions, "regions");
  const out: ResolvedScope = { accounts, regions, from: { accounts: accountsFrom, regions: regionsFrom } };
  if (options.configFile && (accountsFrom === "config" || regionsFrom === "config")) {
    out.configFile = options.configFile;
  }
  return out;
}

/** "scope: accounts 111122223333 (config file ./x.yaml); regions eu-west-1 (discovered from the store)". */
export function describeScope(scope: ResolvedScope): string {
  const where = (source: ScopeSource) =>
    source === "flags"
      ? "from the command line"
      : source === "config"
        ? `from the config file${scope.configFile ? ` ${scope.configFile}` : ""}`
        : "discovered from the store";
  const list = (items: string[]) => (items.length > 0 ? items.join(", ") : "(none)");
  return `scope: accounts ${list(scope.accounts)} (${where(scope.from.accounts)}); regions ${list(scope.regions)} (${where(scope.from.regions)})`;
}
