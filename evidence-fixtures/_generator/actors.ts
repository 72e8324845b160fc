import { accessKeyId, iamId } from "./ids.js";

/** Who made a CloudTrail event. */
export interface Actor {
  kind: "sso" | "role" | "iamuser" | "root";
  account: string;
  /** SSO or IAM role name; IAM user name; "root". */
  principal: string;
  /** Role session name (the LookupEvents Username for assumed roles). */
  session?: string;
  ip: string;
  userAgent: string;
  mfa: boolean;
}

const BROWSER =
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/128.0.0.0 Safari/537.36";
const FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:130.0) Gecko/20100101 Firefox/130.0";
const TERRAFORM =
  "APN/1.0 HashiCorp/1.0 Terraform/1.9.5 (+https://www.terraform.io) terraform-provider-aws/5.64.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.30.4 ua/2.1 os/linux lang/go#1.22.6 md/GOOS#linux md/GOARCH#amd64 api/cloudwatchlogs#1.37.6";
const CLI =
  "aws-cli/2.17.40 md/awscrt#0.21.2 ua/2.0 os/macos#23.6.0 md/arch#arm64 lang/python#3.11.9 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/prompt#off md/command#cognito-idp.admin-create-user";

export function username(actor: Actor): string {
  if (actor.kind === "root") return "root";
  return actor.session ?? actor.principal;
}

export function userIdentity(actor: Actor, at: string, console: boolean): Record<string, unknown> {
  const { account } = actor;
  if (actor.kind === "root") {
    return {
      type: "Root",
      principalId: account,
      arn: `arn:aws:iam::${account}:root`,
      accountId: account,
      accessKeyId: "",
    };
  }
  if (actor.kind === "iamuser") {
    return {
      type: "IAMUser",
      principalId: iamId("AIDA", `${account}/${actor.principal}`),
      arn: `arn:aws:iam::${account}:user/${actor.principal}`,
      accountId: account,
      accessKeyId: console ? "" : accessKeyId("AKIA", `${account}/${actor.principal}`),
      userName: actor.principal,
    };
  }
  const roleId = iamId("AROA", `${account}/${actor.principal}`);
  const rolePath = actor.kind === "sso" ? "aws-reserved/sso.amazonaws.com/eu-west-1/" : "";
  const created = new Date(Date.parse(at) - 37 * 60 * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
  return {
    type: "AssumedRole",
    principalId: `${roleId}:${actor.session}`,
    arn: `arn:aws:sts::${account}:assumed-role/${actor.principal}/${actor.session}`,
    accountId: account,
    accessKeyId: console ? "" : accessKeyId("ASIA", `${account}/${actor.session}/${at.slice(0, 10)}`),
    sessionContext: {
      sessionIssuer: {
        type: "Role",
        principalId: roleId,
        arn: `arn:aws:iam::${account}:role/${rolePath}${actor.principal}`,
        accountId: account,
        userName: actor.principal,
      },
      attributes: { creationDate: created, mfaAuthenticated: String(actor.mfa) },
    },
  };
}

function sso(account: string, role: string, email: string, ip: string, agent = BROWSER): Actor {
  return { kind: "sso", account, principal: role, session: email, ip, userAgent: agent, mfa: false };
}

/** The people and pipelines of the demo estate. */
export function demoActors(prod: string, staging: string) {
  return {
    prod: {
      tom: sso(
        prod,
        "AWSReservedSSO_PlatformAdmin_6f1c2b9e8d7a4c35",
        "tom.oconnor@payments.example.com",
        "192.0.2.41",
      ),
      priya: sso(
        prod,
        "AWSReservedSSO_PlatformAdmin_6f1c2b9e8d7a4c35",
        "priya.raman@payments.example.com",
        "192.0.2.87",
        FIREFOX,
      ),
      maria: sso(
        prod,
        "AWSReservedSSO_SecurityAdmin_2a9d4e7b1c5f8a06",
        "maria.schmidt@payments.example.com",
        "192.0.2.15",
      ),
      support: sso(
        prod,
        "AWSReservedSSO_SupportOps_9b3e5d1a7c2f4e80",
        "jonas.berg@payments.example.com",
        "192.0.2.120",
        CLI,
      ),
      deploy: {
        kind: "role",
        account: prod,
        principal: "payments-deploy",
        session: "gha-payments-infra",
        ip: "198.51.100.14",
        userAgent: TERRAFORM,
        mfa: false,
      } as Actor,
      breakglass: {
        kind: "iamuser",
        account: prod,
        principal: "breakglass-admin",
        ip: "192.0.2.15",
        userAgent: BROWSER,
        mfa: true,
      } as Actor,
      contractor: {
        kind: "iamuser",
        account: prod,
        principal: "contractor-jdoe",
        ip: "203.0.113.61",
        userAgent: FIREFOX,
        mfa: false,
      } as Actor,
      root: {
        kind: "root",
        account: prod,
        principal: "root",
        ip: "192.0.2.15",
        userAgent: BROWSER,
        mfa: true,
      } as Actor,
      attacker: {
        kind: "iamuser",
        account: prod,
        principal: "breakglass-admin",
        ip: "203.0.113.77",
        userAgent: FIREFOX,
        mfa: false,
      } as Actor,
    },
    staging: {
      lena: sso(
        staging,
        "AWSReservedSSO_Developer_4c8a2e6f0b1d3957",
        "lena.kowalski@payments.example.com",
        "192.0.2.160",
      ),
      sam: sso(
        staging,
        "AWSReservedSSO_Developer_4c8a2e6f0b1d3957",
        "sam.adeyemi@payments.example.com",
        "192.0.2.177",
        CLI,
      ),
      tom: sso(
        staging,
        "AWSReservedSSO_PlatformAdmin_0d2f7a9c3e5b1864",
        "tom.oconnor@payments.example.com",
        "192.0.2.41",
      ),
      deploy: {
        kind: "role",
        account: staging,
        principal: "payments-staging-deploy",
        session: "gha-payments-infra",
        ip: "198.51.100.14",
        userAgent: TERRAFORM,
        mfa: false,
      } as Actor,
      legacy: {
        kind: "iamuser",
        account: staging,
        principal: "legacy-ops",
        ip: "203.0.113.9",
        userAgent: BROWSER,
        mfa: false,
      } as Actor,
    },
  };
}
