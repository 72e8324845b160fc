/**
 * The roles a resource can play in an assessment's scope (config `assessment.roles`), by the kind of
 * resource they describe. A catalog requirement's `population` names one of these roles; its checks
 * then judge only the resources in that role. One vocabulary for the config, the catalogs and the
 * evaluator, so a role misspelt in either file is an error naming the field.
 */
export const ROLE_KINDS = {
  /** Cognito user pools (and their app clients, which take their pool's role). */
  userPool: ["workforce", "consumer", "customer"],
  /** S3 buckets. */
  bucket: ["log-archive", "cardholder-data"],
} as const;

export type RoleKind = keyof typeof ROLE_KINDS;
export type Role = (typeof ROLE_KINDS)[RoleKind][number];

export const ROLES: readonly Role[] = Object.values(ROLE_KINDS).flat();

/** What each role means, for error hints and the docs. */
export const ROLE_MEANINGS: Readonly<Record<Role, string>> = {
  workforce: "the entity's own staff, administrators and third parties (Requirement 8 applies)",
  consumer: "consumers (cardholders) reaching their own card data (outside Requirement 8)",
  customer: "a service provider's customer users (8.3.10, 8.3.10.1)",
  "log-archive": "the central store of audit logs (10.3, 10.5)",
  "cardholder-data": "stores cardholder data (not a log store)",
};

/**
 * The role of a resource of this kind that no rule names: user pools default to workforce, the
 * conservative choice (Requirement 8 applies unless the scope says the pool is a consumer's).
 */
export const DEFAULT_ROLE: Readonly<Partial<Record<RoleKind, Role>>> = { userPool: "workforce" };

export function kindOfRole(role: Role): RoleKind {
  for (const [kind, roles] of Object.entries(ROLE_KINDS) as [RoleKind, readonly Role[]][]) {
    if (roles.includes(role)) return kind;
  }
  throw new Error(`unknown role ${role}`);
}
