import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  DescribeLogGroupsCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import { beforeAll, describe, expect, it } from "vitest";
import { ClientFactory } from "../../src/aws/clients.js";
import { collect } from "../../src/collectors/run.js";
import { parseConfig } from "../../src/config/load.js";
import { decodeRecord, type EvidenceRecord, parseEvidenceKey } from "../../src/evidence/record.js";
import type { FsStore } from "../../src/store/fs.js";
import { newSigner, tempStore } from "../evidence/ledger-helpers.js";
import { credentials, endpoint } from "./moto.js";

const MEMBER = "444455556666";
const ROLE = `arn:aws:iam::${MEMBER}:role/AuditpackCollector`;
const REGION = "us-east-1";

async function records(store: FsStore): Promise<EvidenceRecord[]> {
  const out: EvidenceRecord[] = [];
  for await (const info of store.list("evidence/"))
    out.push(decodeRecord(await store.get(info.key), parseEvidenceKey(info.key)?.sha256));
  return out;
}

describe("assume role through STS (moto)", () => {
  beforeAll(async () => {
    await fetch(`${endpoint}/moto-api/reset`, { method: "POST" });
  });

  it("assumes the account's role with its external id and uses those credentials for every client", async () => {
    const factory = new ClientFactory({
      endpoint,
      credentials,
      maxAttempts: 1,
      stsRegion: REGION,
      sessionName: "auditpack-test",
      accounts: [{ id: MEMBER, roleArn: ROLE, externalId: "ext-123" }],
    });
    const member = await factory.callerIdentity(MEMBER);
    expect(member.account).toBe(MEMBER);
    expect(member.arn).toBe(`arn:aws:sts::${MEMBER}:assumed-role/AuditpackCollector/auditpack-test`);
    const base = await factory.callerIdentity("123456789012");
    expect(base.account).toBe("123456789012");

    // What the member's client sees lives in the member account, not the caller's.
    const memberLogs = factory.client(CloudWatchLogsClient, MEMBER, REGION);
    await memberLogs.send(new CreateLogGroupCommand({ logGroupName: "/member/only" }));
    const seen = await memberLogs.send(new DescribeLogGroupsCommand({}));
    expect(seen.logGroups?.map((g) => g.logGroupName)).toContain("/member/only");
    const baseLogs = factory.client(CloudWatchLogsClient, "123456789012", REGION);
    const other = await baseLogs.send(new DescribeLogGroupsCommand({}));
    expect(other.logGroups?.map((g) => g.logGroupName) ?? []).not.toContain("/member/only");
    factory.destroy();
  });

  it("collects a member account live, records the run as fixtures, and the replay gives the same payload", async () => {
    const config = parseConfig(
      {
        aws: { endpoint, maxAttempts: 1 },
        scope: { accounts: [{ id: MEMBER, roleArn: ROLE, externalId: "ext-123" }], regions: [REGION] },
      },
      "test",
    );
    const dir = path.join(mkdtempSync(path.join(tmpdir(), "auditpack-moto-rec-")), "repro");
    const liveStore = tempStore();
    const live = await collect({
      store: liveStore,
      signer: newSigner(),
      config,
      credentials,
      collectors: ["logs_log_groups"],
      recordFixtures: dir,
    });
    expect(live.status, JSON.stringify(live.results)).toBe("ok");
    expect(live.callerIdentities).toEqual([expect.objectContaining({ account: MEMBER })]);
    const [liveRecord] = await records(liveStore);
    expect(liveRecord).toMatchObject({ source: "aws", account: MEMBER, region: REGION });
    const names = (liveRecord!.payload as { logGroups: { logGroupName: string }[] }).logGroups.map(
      (g) => g.logGroupName,
    );
    expect(names).toContain("/member/only");

    const replayStore = tempStore();
    const replay = await collect({
      store: replayStore,
      signer: newSigner(),
      config: parseConfig({}, "t"),
      collectors: ["logs_log_groups"],
      fixtures: dir,
    });
    expect(replay.status).toBe("ok");
    const [replayed] = await records(replayStore);
    expect(replayed).toMatchObject({ source: "fixture", scenario: "repro", account: MEMBER });
    expect(replayed!.payload).toEqual(liveRecord!.payload);
  });

  it("writes error records for an account whose credentials belong to another account", async () => {
    // moto answers every call as 123456789012: that account collects, MEMBER gets error records.
    const config = parseConfig(
      {
        aws: { endpoint, maxAttempts: 1 },
        scope: { accounts: [{ id: MEMBER }, { id: "123456789012" }], regions: [REGION] },
      },
      "test",
    );
    const store = tempStore();
    const summary = await collect({
      store,
      signer: newSigner(),
      config,
      credentials,
      collectors: ["logs_log_groups"],
    });
    expect(summary.status).toBe("partial");
    const member = summary.results.find((r) => r.account === MEMBER);
    expect(member?.error?.code).toBe("WrongAccount");
    expect(summary.results.find((r) => r.account === "123456789012")?.status).toBe("ok");
    const errors = (await records(store)).filter((r) => r.error);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.error?.message).toContain("belong to account 123456789012");
  });

  it("refuses the run (exit 2) when no account in scope can be reached, and writes nothing", async () => {
    const config = parseConfig(
      { aws: { endpoint, maxAttempts: 1 }, scope: { accounts: [{ id: MEMBER }], regions: [REGION] } },
      "test",
    );
    const store = tempStore();
    const run = collect({ store, signer: newSigner(), config, credentials, collectors: ["logs_log_groups"] });
    await expect(run).rejects.toMatchObject({
      name: "UsageError",
      exitCode: 2,
      message: expect.stringMatching(/no account in scope could be reached.*\n.*444455556666: WrongAccount/),
    });
    expect(await records(store)).toEqual([]);
    // The Lambda handler asks for error records instead: the gap is evidence too.
    const recorded = await collect({
      store,
      signer: newSigner(),
      config,
      credentials,
      collectors: ["logs_log_groups"],
      unreachableAccounts: "record",
    });
    expect(recorded.status).toBe("partial");
    expect((await records(store)).map((r) => r.error?.code)).toEqual(["WrongAccount"]);
  });
});
