import {
  ConfigServiceClient,
  DescribeConfigurationRecorderStatusCommand,
  DescribeConfigurationRecordersCommand,
  DescribeDeliveryChannelStatusCommand,
  DescribeDeliveryChannelsCommand,
} from "@aws-sdk/client-config-service";
import type { Collector } from "../types.js";
import { CallLog, toEvidence } from "../util.js";

/** AWS Config recorders and delivery channels, with their status (is Config recording at all?). */
export const collector: Collector = {
  id: "config_recorder",
  service: "config",
  title: "AWS Config recorders and delivery channels",
  operations: [
    "DescribeConfigurationRecorders",
    "DescribeConfigurationRecorderStatus",
    "DescribeDeliveryChannels",
    "DescribeDeliveryChannelStatus",
  ],
  iamActions: [
    "config:DescribeConfigurationRecorders",
    "config:DescribeConfigurationRecorderStatus",
    "config:DescribeDeliveryChannels",
    "config:DescribeDeliveryChannelStatus",
  ],
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
};
