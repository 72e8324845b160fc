import { cognitoClientId } from "./ids.js";
import type { RegionSpec, UserPoolClientSpec, UserPoolSpec } from "./model.js";
import { arn } from "./model.js";
import type { Random } from "./prng.js";
import { epoch } from "./time.js";
import { type Answer, paged, type ServiceFile } from "./types.js";

/** cognito-idp answers: ListUserPools, DescribeUserPool, GetUserPoolMfaConfig, clients, risk configuration. */

export function userPoolType(pool: UserPoolSpec, account: string, region: string): Record<string, unknown> {
  const p = pool.password;
  const passwordPolicy: Record<string, unknown> = {
    MinimumLength: p.minLength,
    RequireUppercase: p.upper,
    RequireLowercase: p.lower,
    RequireNumbers: p.numbers,
    RequireSymbols: p.symbols,
    TemporaryPasswordValidityDays: p.tempValidityDays,
  };
  if (p.history !== undefined) passwordPolicy.PasswordHistorySize = p.history;
  const out: Record<string, unknown> = {
    Id: pool.id,
    Name: pool.name,
    Policies: { PasswordPolicy: passwordPolicy, SignInPolicy: { AllowedFirstAuthFactors: ["PASSWORD"] } },
    DeletionProtection: pool.deletionProtection ? "ACTIVE" : "INACTIVE",
    LambdaConfig: {},
    LastModifiedDate: epoch(pool.lastModified),
    CreationDate: epoch(pool.created),
    SchemaAttributes: [
      {
        Name: "sub",
        AttributeDataType: "String",
        DeveloperOnlyAttribute: false,
        Mutable: false,
        Required: true,
        StringAttributeConstraints: { MinLength: "1", MaxLength: "2048" },
      },
      {
        Name: "email",
        AttributeDataType: "String",
        DeveloperOnlyAttribute: false,
        Mutable: true,
        Required: true,
        StringAttributeConstraints: { MinLength: "0", MaxLength: "2048" },
      },
      {
        Name: "email_verified",
        AttributeDataType: "Boolean",
        DeveloperOnlyAttribute: false,
        Mutable: true,
        Required: false,
      },
      {
        Name: "phone_number",
        AttributeDataType: "String",
        DeveloperOnlyAttribute: false,
        Mutable: true,
        Required: false,
        StringAttributeConstraints: { MinLength: "0", MaxLength: "2048" },
      },
      {
        Name: "updated_at",
        AttributeDataType: "Number",
        DeveloperOnlyAttribute: false,
        Mutable: true,
        Required: false,
        NumberAttributeConstraints: { MinValue: "0" },
      },
    ],
    AutoVerifiedAttributes: ["email"],
    UsernameAttributes: ["email"],
    VerificationMessageTemplate: { DefaultEmailOption: "CONFIRM_WITH_CODE" },
    UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ["email"] },
    MfaConfiguration: pool.mfa,
    EstimatedNumberOfUsers: pool.estimatedUsers,
    EmailConfiguration: {
      SourceArn: arn("ses", region, account, "identity/payments.example.com"),
      EmailSendingAccount: "DEVELOPER",
      From: "Payments <no-reply@payments.example.com>",
    },
    UserPoolTags: pool.tags,
    AdminCreateUserConfig: {
      AllowAdminCreateUserOnly: pool.name.includes("workforce"),
      UnusedAccountValidityDays: p.tempValidityDays,
    },
    UsernameConfiguration: { CaseSensitive: false },
    Arn: arn("cognito-idp", region, account, `userpool/${pool.id}`),
    AccountRecoverySetting: { RecoveryMechanisms: [{ Priority: 1, Name: "verified_email" }] },
    UserPoolTier: pool.tier,
  };
  if (pool.sms) {
    out.SmsConfiguration = smsConfiguration(pool, account, region);
    out.SmsAuthenticationMessage = "Your payments verification code is {####}";
  }
  if (pool.domain) out.Domain = pool.domain;
  if (pool.threatProtection !== "OFF" || pool.tier === "PLUS") {
    out.UserPoolAddOns = { AdvancedSecurityMode: pool.threatProtection };
  }
  return out;
}

function smsConfiguration(pool: UserPoolSpec, account: string, region: string): Record<string, unknown> {
  return {
    SnsCallerArn: `arn:aws:iam::${account}:role/service-role/cognito-sms-${pool.name}`,
    ExternalId: `${pool.name}-sms-external`,
    SnsRegion: region,
  };
}

export function mfaConfig(pool: UserPoolSpec, account: string, region: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (pool.sms) {
    out.SmsMfaConfiguration = {
      SmsAuthenticationMessage: "Your payments verification code is {####}",
      SmsConfiguration: smsConfiguration(pool, account, region),
    };
  }
  out.SoftwareTokenMfaConfiguration = { Enabled: pool.totp };
  out.MfaConfiguration = pool.mfa;
  return out;
}

function clientType(pool: UserPoolSpec, client: UserPoolClientSpec): Record<string, unknown> {
  const out: Record<string, unknown> = {
    UserPoolId: pool.id,
    ClientName: client.name,
    ClientId: cognitoClientId(`${pool.id}/${client.name}`),
  };
  if (client.secret) out.ClientSecret = client.secret;
  Object.assign(out, {
    LastModifiedDate: epoch(client.created),
    CreationDate: epoch(client.created),
    RefreshTokenValidity: client.refreshTokenDays,
    AccessTokenValidity: client.accessTokenMinutes,
    IdTokenValidity: client.idTokenMinutes,
    TokenValidityUnits: { AccessToken: "minutes", IdToken: "minutes", RefreshToken: "days" },
    ReadAttributes: ["email", "email_verified", "phone_number", "updated_at"],
    WriteAttributes: ["email", "phone_number", "updated_at"],
    ExplicitAuthFlows: client.flows,
    SupportedIdentityProviders: ["COGNITO"],
  });
  if (client.callbackUrls) {
    Object.assign(out, {
      CallbackURLs: client.callbackUrls,
      LogoutURLs: client.callbackUrls.map((u) => u.replace(/\/auth\/callback$|\/oauth2\/idpresponse$/, "/")),
      AllowedOAuthFlows: ["code"],
      AllowedOAuthScopes: ["openid", "email", "profile"],
      AllowedOAuthFlowsUserPoolClient: true,
    });
  } else {
    out.AllowedOAuthFlowsUserPoolClient = false;
  }
  Object.assign(out, {
    PreventUserExistenceErrors: "ENABLED",
    EnableTokenRevocation: true,
    EnablePropagateAdditionalUserContextData: false,
    AuthSessionValidity: 3,
  });
  return out;
}

function riskConfiguration(pool: UserPoolSpec, account: string, region: string): Record<string, unknown> {
  return {
    UserPoolId: pool.id,
    CompromisedCredentialsRiskConfiguration: {
      EventFilter: ["SIGN_IN", "PASSWORD_CHANGE", "SIGN_UP"],
      Actions: { EventAction: pool.threatProtection === "ENFORCED" ? "BLOCK" : "NO_ACTION" },
    },
    AccountTakeoverRiskConfiguration: {
      NotifyConfiguration: {
        From: "security@payments.example.com",
        SourceArn: arn("ses", region, account, "identity/payments.example.com"),
      },
      Actions: {
        LowAction: { Notify: false, EventAction: "NO_ACTION" },
        MediumAction: { Notify: true, EventAction: "MFA_IF_CONFIGURED" },
        HighAction: { Notify: true, EventAction: "BLOCK" },
      },
    },
    LastModifiedDate: epoch(pool.lastModified),
  };
}

export function cognitoFile(spec: RegionSpec, account: string, region: string, rng: Random): ServiceFile {
  const pools = spec.userPools;
  const descriptions = pools.map((pool) => ({
    Id: pool.id,
    Name: pool.name,
    LambdaConfig: {},
    LastModifiedDate: epoch(pool.lastModified),
    CreationDate: epoch(pool.created),
  }));
  // One pool per page where there are several: AWS may return fewer than MaxResults, and the
  // collector must follow NextToken.
  const file: ServiceFile = {
    ListUserPools: paged(
      descriptions,
      1,
      () => rng.token(),
      (slice, next) => ({ UserPools: slice, ...(next ? { NextToken: next } : {}) }),
    ),
    DescribeUserPool: [],
    GetUserPoolMfaConfig: [],
    ListUserPoolClients: [],
    DescribeUserPoolClient: [],
    DescribeRiskConfiguration: [],
  };
  for (const pool of pools) {
    const id = { UserPoolId: pool.id };
    file.DescribeUserPool!.push({ params: id, response: { UserPool: userPoolType(pool, account, region) } });
    file.GetUserPoolMfaConfig!.push({ params: id, response: mfaConfig(pool, account, region) });
    const clients = pool.clients.map((c) => clientType(pool, c));
    const list: Answer[] = paged(
      clients.map((c) => ({ ClientId: c.ClientId, UserPoolId: pool.id, ClientName: c.ClientName })),
      60,
      () => rng.token(),
      (slice, next) => ({ UserPoolClients: slice, ...(next ? { NextToken: next } : {}) }),
      { params: id },
    );
    file.ListUserPoolClients!.push(...list);
    for (const client of clients) {
      file.DescribeUserPoolClient!.push({
        params: { UserPoolId: pool.id, ClientId: client.ClientId },
        response: { UserPoolClient: client },
      });
    }
    if (pool.threatProtection !== "OFF") {
      file.DescribeRiskConfiguration!.push({
        params: id,
        response: { RiskConfiguration: riskConfiguration(pool, account, region) },
      });
    }
  }
  for (const [op, answers] of Object.entries(file)) if (answers.length === 0) delete file[op];
  return file;
}
