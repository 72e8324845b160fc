import { deliveryChannelsOf, recordersOf } from "../../state/parse.js";
import { snapshotAdapter } from "../../state/snapshots.js";
import { addRecorderStatusTimes } from "../../state/status-times.js";

/** AWS Config in one account and region: its recorders and delivery channels, as one resource. */
export const state = snapshotAdapter(["config_service"], (r) => {
  const { account, region, payload } = r.record;
  const key = `${account}/${region}`;
  r.observe("config_service", key, {
    ...r.base,
    id: key,
    name: `AWS Config in ${account}/${region}`,
    recorders: recordersOf(payload),
    deliveryChannels: deliveryChannelsOf(payload),
  });
  // The recorder status's lastStartTime / lastStopTime are observations of their own (issue 10).
  addRecorderStatusTimes(r.builder, r.record, r.base.evidence[0]!);
});
