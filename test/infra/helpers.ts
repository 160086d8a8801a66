import { App, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { AwsSolutionsChecks } from 'cdk-nag';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../infra/lib/create-app';
import { SesSmtpRotation, type SesSmtpRotationProps } from '../../infra/lib/ses-smtp-rotation';
import { configurationErrorLine } from '../../infra/lib/strict-context';

/** A minimal Command document honouring the push contract (the real one is tested with the real app). */
export const FIXTURE_DOCUMENTS = join(__dirname, 'fixtures', 'ssm-documents');

/** Inline code: unit tests do not need the real bundle. */
export const INLINE_CODE = lambda.Code.fromInline('exports.handler = async () => undefined;');

export const ACCOUNT = '123456789012';

/** Props most tests start from: tag-targeted fleet, one host role, one e-mail. */
export function baseProps(overrides: Partial<SesSmtpRotationProps> = {}): SesSmtpRotationProps {
  return {
    sending: { identities: ['example.com'] },
    fleet: { tags: { Role: ['relay', 'relay-dr'], Env: ['prod'] } },
    hostRoleArns: [`arn:aws:iam::${ACCOUNT}:role/relay`],
    notifications: { emails: ['ops@example.com'] },
    code: INLINE_CODE,
    documentsDirectory: FIXTURE_DOCUMENTS,
    ...overrides,
  };
}

/** A fresh app whose synthesis runs the cdk-nag AwsSolutions pack (v3: a policy validation plugin). */
export function nagApp(): App {
  const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'ses-smtp-infra-')) });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return app;
}

/** One stack holding one construct built by `build`. */
export function stackWith(
  build: (stack: Stack) => void,
  stackProps: StackProps = { env: { account: ACCOUNT, region: 'eu-west-1' } },
  app: App = new App(),
): Stack {
  const stack = new Stack(app, 'Test', stackProps);
  build(stack);
  return stack;
}

/** Template of a stack holding one SesSmtpRotation with {@link baseProps} plus overrides. */
export function rotationTemplate(overrides: Partial<SesSmtpRotationProps> = {}, stackProps?: StackProps): Template {
  return Template.fromStack(
    stackWith((stack) => new SesSmtpRotation(stack, 'Rotation', baseProps(overrides)), stackProps),
  );
}

/**
 * The one line the app entry prints for this CDK context, or undefined when it synthesizes. An error the entry
 * would not turn into one line fails the test.
 */
export function contextErrorLine(context: Record<string, unknown>): string | undefined {
  try {
    createApp({ context });
    return undefined;
  } catch (error) {
    const line = configurationErrorLine(error);
    if (line === undefined) throw error;
    return line;
  }
}

/** A violation in CDK's policy validation report. */
export interface Violation {
  readonly plugin: string;
  readonly rule: string;
  readonly paths: string[];
}

/**
 * Synthesizes the app and returns every violation of every validation plugin (cdk-nag and CloudFormation's own
 * schema checks). An in-memory app throws when a plugin fails, so the report file is read in both cases.
 */
export function synthViolations(app: App): Violation[] {
  let directory = app.outdir;
  try {
    directory = app.synth().directory;
  } catch (error) {
    if (!/Validation failed|ValidationFailed|AwsSolutions/.test(String(error))) throw error;
  }
  const report = JSON.parse(readFileSync(join(directory, 'validation-report.json'), 'utf8')) as {
    pluginReports: {
      pluginName: string;
      violations: { ruleName: string; violatingConstructs: { constructPath: string }[] }[];
    }[];
  };
  return report.pluginReports.flatMap((plugin) =>
    plugin.violations.map((v) => ({
      plugin: plugin.pluginName,
      rule: v.ruleName,
      paths: v.violatingConstructs.map((c) => c.constructPath),
    })),
  );
}

/** One IAM statement found anywhere in a template, with where it was found. */
export interface FoundStatement {
  readonly where: string;
  readonly type: string;
  readonly statement: {
    Effect: string;
    Action: string | string[];
    Resource?: unknown;
    Condition?: Record<string, Record<string, unknown>>;
    Principal?: unknown;
  };
}

/** Every policy statement of identity and resource policies in the template. */
export function allStatements(template: Template): FoundStatement[] {
  const found: FoundStatement[] = [];
  for (const [id, resource] of Object.entries(template.toJSON().Resources as Record<string, CfnResource>)) {
    const p = resource.Properties ?? {};
    const documents = [
      p.PolicyDocument,
      p.KeyPolicy,
      p.ResourcePolicy,
      p.AssumeRolePolicyDocument,
      ...((p.Policies as { PolicyDocument: unknown }[] | undefined) ?? []).map((x) => x.PolicyDocument),
    ].filter((d): d is { Statement: FoundStatement['statement'][] } => d !== undefined && typeof d === 'object');
    for (const document of documents) {
      for (const statement of document.Statement) found.push({ where: id, type: resource.Type, statement });
    }
  }
  return found;
}

/** A template resource. */
export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly DependsOn?: string[];
}

/** Resources of one type, by logical id. */
export function resourcesOfType(template: Template, type: string): [string, CfnResource][] {
  return Object.entries(template.toJSON().Resources as Record<string, CfnResource>).filter(([, r]) => r.Type === type);
}

/** Untyped template JSON (its shape depends on the resource type). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type TemplateJson = Record<string, any>;

/** The single resource of a type (fails the test when there is not exactly one). */
export function onlyResource(
  template: Template,
  type: string,
): {
  id: string;
  Properties: TemplateJson;
  DependsOn: string[];
} {
  const found = resourcesOfType(template, type);
  if (found.length !== 1) throw new Error(`expected exactly one ${type}, found ${found.length}`);
  const [id, resource] = found[0]!;
  return { id, Properties: resource.Properties ?? {}, DependsOn: resource.DependsOn ?? [] };
}

/** Array form of a policy's Action/Resource. */
export function asArray<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/**
 * Evaluates CloudFormation `Ref`/`Fn::Join` with the given pseudo parameters and logical-id stand-ins, enough to
 * read the ARNs a template would produce.
 */
export function evaluate(value: unknown, refs: Record<string, string>): string {
  if (typeof value === 'string') return value;
  const object = value as Record<string, unknown>;
  if ('Ref' in object) return refs[String(object.Ref)] ?? `<${String(object.Ref)}>`;
  if ('Fn::GetAtt' in object) return `<${(object['Fn::GetAtt'] as string[]).join('.')}>`;
  if ('Fn::Join' in object) {
    const [separator, parts] = object['Fn::Join'] as [string, unknown[]];
    return parts.map((part) => evaluate(part, refs)).join(separator);
  }
  return JSON.stringify(value);
}

/** Shapes of credential material: SigV4 SMTP passwords, access key ids, 40-character secret access keys. */
const SMTP_PASSWORD = /(?<![A-Za-z0-9+/=])B[A-Za-z0-9+/]{43}(?![A-Za-z0-9+/=])/g;
const ACCESS_KEY_ID = /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g;
const SECRET_ACCESS_KEY = /(?<![A-Za-z0-9+/=])[A-Za-z0-9+/]{40}(?![A-Za-z0-9+/=])/g;

/** Strings of the template that look like credentials, minus the template's own logical ids. */
export function credentialLike(template: Template): string[] {
  const json = template.toJSON() as { Resources: object };
  const text = JSON.stringify(json);
  const logicalIds = new Set(Object.keys(json.Resources));
  const looksRandom = (s: string) => /[a-z]/.test(s) && /[A-Z]/.test(s) && /[0-9]/.test(s);
  return [
    ...(text.match(SMTP_PASSWORD) ?? []),
    ...(text.match(ACCESS_KEY_ID) ?? []),
    ...(text.match(SECRET_ACCESS_KEY) ?? []).filter((s) => looksRandom(s) && !logicalIds.has(s)),
  ];
}
