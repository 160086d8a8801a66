import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { SesSmtpRotationStack } from './ses-smtp-rotation-stack';
import { settingsFromContext } from './settings';
import { appContextValues, assertKnownContextKeys, configurationErrorLine } from './strict-context';

/** Options for {@link createApp} (tests pass context and an output directory; the CLI passes nothing). */
export interface CreateAppOptions {
  readonly context?: Record<string, unknown>;
  readonly outdir?: string;
}

/**
 * The CDK app: one {@link SesSmtpRotationStack} named by the `stackName` context key (default `SesSmtpRotation`;
 * give each installation its own), checked by the cdk-nag AwsSolutions pack so a finding fails `cdk synth`.
 * Account and region come from `-c account=… -c region=…` or the CLI's profile; without them the stack is
 * environment-agnostic and synthesizes offline. Context keys that are not this app's (and not CDK's) are refused.
 * @throws ConfigurationError naming the context key (or construct prop) and what it should hold
 */
export function createApp(options: CreateAppOptions = {}): App {
  // No synth on process exit: after a configuration error a half-built stack must not be synthesized (and reported).
  const app = new App({ context: options.context, outdir: options.outdir, autoSynth: false });
  const get = (key: string): unknown => app.node.tryGetContext(key);
  assertKnownContextKeys(Object.keys(app.node.getAllContext() as Record<string, unknown>));
  const pinned = appContextValues(get);
  const account = pinned.account ?? process.env.CDK_DEFAULT_ACCOUNT;
  const region = pinned.region ?? process.env.CDK_DEFAULT_REGION;
  new SesSmtpRotationStack(app, pinned.stackName ?? 'SesSmtpRotation', {
    settings: settingsFromContext(get),
    env: account || region ? { account, region } : undefined,
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return app;
}

/**
 * What `cdk synth` runs: builds and synthesizes the app. A configuration error becomes one line on stderr and
 * exit code 2 (no stack trace, no source excerpt: the line says which key and what to pass); anything else (a bug,
 * a cdk-nag finding) is rethrown with CDK's own report.
 * @returns the process exit code
 */
export function runApp(options: CreateAppOptions & { readonly stderr?: (text: string) => void } = {}): number {
  try {
    createApp(options).synth();
    return 0;
  } catch (error) {
    const line = configurationErrorLine(error);
    if (line === undefined) throw error;
    (options.stderr ?? ((text) => process.stderr.write(text)))(`ses-smtp-rotation: ${line}\n`);
    return 2;
  }
}
