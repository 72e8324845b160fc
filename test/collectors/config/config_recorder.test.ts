import { describe, expect, it } from "vitest";
import type { ServiceFixture } from "../../../src/aws/replay.js";
import { collector } from "../../../src/collectors/config/config_recorder.js";
import { runCollector } from "../../helpers/run-collector.js";

const recorder = {
  name: "default",
  roleARN: "arn:aws:iam::111122223333:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig",
  recordingGroup: { allSupported: true, includeGlobalResourceTypes: true },
};
const recorderStatus = {
  name: "default",
  recording: true,
  lastStatus: "Success",
  lastStartTime: "2026-06-01T08:00:00.000Z",
  lastStatusChangeTime: "2026-09-30T22:00:00.000Z",
};
const channel = { name: "default", s3BucketName: "config-bucket-111122223333" };
const channelStatus = {
  name: "default",
  configHistoryDeliveryInfo: { lastStatus: "Success", lastSuccessfulTime: "2026-09-30T21:00:00.000Z" },
};

function fixture(overrides: ServiceFixture = {}): ServiceFixture {
  return {
    DescribeConfigurationRecorders: [{ response: { ConfigurationRecorders: [recorder] } }],
    DescribeConfigurationRecorderStatus: [{ response: { ConfigurationRecordersStatus: [recorderStatus] } }],
    DescribeDeliveryChannels: [{ response: { DeliveryChannels: [channel] } }],
    DescribeDeliveryChannelStatus: [{ response: { DeliveryChannelsStatus: [channelStatus] } }],
    ...overrides,
  };
}

describe("config_recorder", () => {
  it("emits recorders, delivery channels and both statuses in AWS's shapes, with request ids", async () => {
    const run = await runCollector(collector, { fixture: fixture() });
    expect(run.error).toBeUndefined();
    expect(run.records).toHaveLength(1);
    expect(run.records[0]!.payload).toEqual({
      recorders: [recorder],
      recorderStatus: [recorderStatus],
      deliveryChannels: [channel],
      deliveryChannelStatus: [channelStatus],
    });
    expect(run.records[0]!.calls.map((c) => c.operation)).toEqual([...collector.operations]);
    for (const call of run.records[0]!.calls) {
      expect(call.service).toBe("config");
      expect(call.requestId).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it("reports a region where Config was never set up as empty lists, not as missing data", async () => {
    const run = await runCollector(collector, {
      fixture: {
        DescribeConfigurationRecorders: [{ response: { ConfigurationRecorders: [] } }],
        DescribeConfigurationRecorderStatus: [{ response: {} }],
        DescribeDeliveryChannels: [{ response: { DeliveryChannels: [] } }],
        DescribeDeliveryChannelStatus: [{ response: { DeliveryChannelsStatus: [] } }],
      },
    });
    expect(run.error).toBeUndefined();
    expect(run.records.map((r) => r.payload)).toEqual([
      { recorders: [], recorderStatus: [], deliveryChannels: [], deliveryChannelStatus: [] },
    ]);
  });

  it("throws AccessDeniedException and emits nothing when a status call is denied", async () => {
    const run = await runCollector(collector, {
      fixture: fixture({
        DescribeConfigurationRecorderStatus: [
          {
            error: { code: "AccessDeniedException", message: "not authorized to perform config:Describe..." },
          },
        ],
      }),
    });
    expect(run.error).toMatchObject({
      name: "AccessDeniedException",
      operation: "DescribeConfigurationRecorderStatus",
    });
    expect(run.records).toEqual([]);
  });

  it("retries throttling and then succeeds", async () => {
    const run = await runCollector(collector, {
      maxAttempts: 3,
      fixture: fixture({
        DescribeConfigurationRecorders: [
          { error: { code: "ThrottlingException", message: "Rate exceeded" }, times: 2 },
          { response: { ConfigurationRecorders: [recorder] } },
        ],
      }),
    });
    expect(run.error).toBeUndefined();
    expect(run.calls.filter((c) => c.operation === "DescribeConfigurationRecorders")).toHaveLength(3);
    expect(run.records).toHaveLength(1);
    expect((run.records[0]!.payload as { recorders: unknown[] }).recorders).toEqual([recorder]);
    // Only the successful attempt is evidence.
    expect(run.records[0]!.calls).toHaveLength(4);
  });
});
