import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { SesSmtpRotationStack } from './ses-smtp-rotation-stack';
import { settingsFromContext } from './settings';

/** Options for {@link createApp} (tests pass context and an output directory; the CLI passes nothing). */
export interface CreateAppOptions {
  readonly context?: Record<string, unknown>;
  readonly outdir?: string;
}

/**
 * The CDK app: one {@link SesSmtpRotationStack} named by the `stackName` context key (default `SesSmtpRotation`;
 * give each installation its own), checked by the cdk-nag AwsSolutions pack so a finding fails `cdk synth`.
 * Account and region come from `-c account=… -c region=…` or the CLI's profile; without them the stack is
 * environment-agnostic and synthesizes offline.
 */
export function createApp(options: CreateAppOptions = {}): App {
  const app = new App({ context: options.context, outdir: options.outdir });
  const get = (key: string): unknown => app.node.tryGetContext(key);
  const account = (get('account') as string | undefined) ?? process.env.CDK_DEFAULT_ACCOUNT;
  const region = (get('region') as string | undefined) ?? process.env.CDK_DEFAULT_REGION;
  new SesSmtpRotationStack(app, (get('stackName') as string | undefined) ?? 'SesSmtpRotation', {
    settings: settingsFromContext(get),
    env: account || region ? { account, region } : undefined,
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return app;
}
