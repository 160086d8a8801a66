/**
 * The floor of a cold start: only the Secrets Manager client and the one command every step sends first, bundled
 * like the function. `npm run bench` loads it beside the function's bundle: the difference is what the function's
 * own code, its logger and whatever else its initialisation loads cost.
 */
export { DescribeSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
