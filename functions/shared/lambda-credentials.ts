import { fromEnv } from '@aws-sdk/credential-provider-env';

/**
 * The AWS SDK's credential provider in the Lambda bundles: infra/constructs/handler-function.ts aliases
 * `@aws-sdk/credential-provider-node` (the default chain every client imports) to this module. Lambda hands a
 * function its execution role's credentials in AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN,
 * which is the first link of the default chain and the one it takes on Lambda; the other links (SSO, profiles,
 * processes, web identity, container and instance metadata) cannot apply there and cost about 90 KB of every
 * bundle (their STS, SSO and sign-in clients). Tests and the local cloud run the source, with the full chain.
 */
export const defaultProvider = (init: Parameters<typeof fromEnv>[0] = {}) => fromEnv(init);

/** As in @aws-sdk/credential-provider-node: credentials with an expiration are refreshed 5 minutes before it. */
export const credentialsWillNeedRefresh = (credentials?: { readonly expiration?: Date }): boolean =>
  credentials?.expiration !== undefined;
export const credentialsTreatedAsExpired = (credentials?: { readonly expiration?: Date }): boolean =>
  credentials?.expiration !== undefined && credentials.expiration.getTime() - Date.now() < 300_000;
