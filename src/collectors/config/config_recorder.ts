import {
  ConfigServiceClient,
  DescribeConfigurationRecorderStatusCommand,
  DescribeConfigurationRecordersCommand,
  DescribeDeliveryChannelStatusCommand,
  DescribeDeliveryChannelsCommand,
} from "@aws-sdk/client-config-service";
import { defineCollector } from "../define.js";
import { DAILY } from "../types.js";
import { CallLog, toEvidence } from "../util.js";
import { state } from "./config_recorder.state.js";

/** AWS Config recorders and delivery channels, with their status (is Config recording at all?). */
export const collector = defineCollector({
  id: "config_recorder",
  service: "config",
  title: "AWS Config recorders and delivery channels",
  operations: [
    "DescribeConfigurationRecorders",
    "DescribeConfigurationRecorderStatus",
    "DescribeDeliveryChannels",
    "DescribeDeliveryChannelStatus",
  ],
  cadence: "snapshot",
  schedule: DAILY,
  resourceTypes: ["config_service"],
  state,
  async collect(ctx) {
    const client = ctx.client(ConfigServiceClient);
    const log = new CallLog("config", ctx.signal);
    const recorders = await log.send(client, new DescribeConfigurationRecordersCommand({}));
    const recorderStatus = await log.send(client, new DescribeConfigurationRecorderStatusCommand({}));
    const channels = await log.send(client, new DescribeDeliveryChannelsCommand({}));
    const channelStatus = await log.send(client, new DescribeDeliveryChannelStatusCommand({}));
    await ctx.emit({
      payload: {
        recorders: toEvidence(recorders.ConfigurationRecorders ?? []),
        recorderStatus: toEvidence(recorderStatus.ConfigurationRecordersStatus ?? []),
        deliveryChannels: toEvidence(channels.DeliveryChannels ?? []),
        deliveryChannelStatus: toEvidence(channelStatus.DeliveryChannelsStatus ?? []),
      },
      calls: log.calls,
    });
    ctx.progress(1, 1);
  },
});
