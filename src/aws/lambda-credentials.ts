/**
 * The rotation Lambda's credential provider: the SDK's default chain without the branches that never apply inside
 * Lambda (SSO, INI profiles, process, IMDS, web identity and the nested STS/SSO clients they pull in, ~95 KB of
 * bundle). Lambda hands the function's role credentials to it in environment variables, which is also the first
 * place the default chain looks, so behaviour in Lambda is unchanged.
 *
 * scripts/bundle.mjs substitutes this module for `@aws-sdk/credential-provider-node` in the Lambda bundle only;
 * tests, the CLI and the demo keep the full chain.
 */
import { fromEnv } from '@aws-sdk/credential-provider-env';

/** Same signature as the default provider's factory; the init options only concern the dropped branches. */
export const defaultProvider = (_init?: unknown): ReturnType<typeof fromEnv> => fromEnv();
