import { withDescribeUserPoolDefaults } from "../../state/defaults.js";
import { arr } from "../../state/fields.js";
import { clientOf, userPoolFields } from "../../state/parse.js";
import { snapshotAdapter } from "../../state/snapshots.js";
import type { UserPoolState } from "../../state/types.js";

/** Each user pool, and each of its app clients as a resource of its own (token lifetimes). */
export const state = snapshotAdapter(["cognito_user_pool", "cognito_user_pool_client"], (r) => {
  const { base, observe } = r;
  for (const entry of arr(r.record.payload, "userPools")) {
    const described = (entry as { userPool?: unknown }).userPool;
    const f = withDescribeUserPoolDefaults(
      described,
      userPoolFields(described, {
        mfaConfig: (entry as { mfaConfig?: unknown }).mfaConfig,
        clients: arr(entry, "clients"),
      }),
    );
    if (!f.id) continue;
    const pool: UserPoolState = {
      ...base,
      ...f,
      id: f.id,
      name: f.name ?? f.id,
      clients: f.clients ?? [],
    };
    observe("cognito_user_pool", pool.id, pool);
    for (const raw of arr(entry, "clients")) {
      const client = clientOf(raw);
      const key = `${pool.id}/${client.clientId}`;
      observe("cognito_user_pool_client", key, {
        ...base,
        id: key,
        name: `${client.clientName ?? client.clientId} (${client.clientId}) of user pool ${pool.name}`,
        userPoolId: pool.id,
        userPoolName: pool.name,
        client,
      });
    }
  }
});
