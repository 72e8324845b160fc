import { loadSharedConfigFiles } from "@smithy/core/config";

/** A region picked when none is configured, and where it came from (for messages). */
export interface DefaultRegion {
  region: string;
  source: string;
}

/**
 * The region the AWS CLI would use when none is given: AWS_REGION, AWS_DEFAULT_REGION, then the
 * `region` of the profile in effect (--profile / aws.profile, AWS_PROFILE, else "default") in the
 * shared config file. undefined when none of them names one.
 */
export async function defaultRegion(profile?: string): Promise<DefaultRegion | undefined> {
  for (const name of ["AWS_REGION", "AWS_DEFAULT_REGION"]) {
    const value = process.env[name];
    if (value) return { region: value, source: name };
  }
  const name = profile ?? process.env.AWS_PROFILE ?? "default";
  const files = await loadSharedConfigFiles({ ignoreCache: true }).catch(() => undefined);
  const region = files?.configFile[name]?.region ?? files?.credentialsFile[name]?.region;
  return region ? { region, source: `profile ${name}` } : undefined;
}
