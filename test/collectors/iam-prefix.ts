import type { ServiceName } from "../../src/collectors/types.js";

/** IAM service prefix of each SDK signing name. */
export const IAM_PREFIX: Record<ServiceName, string> = {
  config: "config",
  cloudtrail: "cloudtrail",
  logs: "logs",
  monitoring: "cloudwatch",
  "cognito-idp": "cognito-idp",
  sts: "sts",
};
