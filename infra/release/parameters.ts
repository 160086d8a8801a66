/**
 * The release template's inputs: one row per CloudFormation parameter, each with its constraint taken from the
 * rule the construct (or the function's loader) validates with, and the one place that says which construct
 * prop it feeds. Adding a prop to the release is adding one row here.
 */
import { CfnCondition, CfnParameter, Fn, type Stack } from 'aws-cdk-lib';
import { MAX_CONCURRENCY, MAX_ERRORS } from '../../src/rotation/config';
import type { SesSmtpRotationProps } from '../lib/props';
import { EMAIL, IDENTITY, TAG_VALUE } from '../lib/validate';

/** The tag key the release template targets relays by (CloudFormation cannot put a parameter in a policy key). */
export const RELEASE_FLEET_TAG_KEY = 'ses-smtp-relay';

/** Props the parameters fill in; the rest are the construct's defaults. */
export type ReleaseProps = Pick<SesSmtpRotationProps, 'sending' | 'fleet' | 'notifications'>;

/** One parameter: its declaration and how its deploy-time value reaches the props. */
export interface ReleaseParameter {
  readonly name: string;
  readonly description: string;
  /** The validation rule, as a JavaScript RegExp: its source becomes the AllowedPattern. */
  readonly rule?: RegExp;
  readonly allowedValues?: readonly string[];
  readonly default?: string;
  /** What CloudFormation shows when the value breaks the rule. */
  readonly constraintDescription?: string;
  /** Folds the value (a token) into the props built so far. */
  readonly apply?: (props: ReleaseProps, value: string) => ReleaseProps;
}

/** The JavaScript rule as a CloudFormation (Java) pattern: the same text; flags are refused (none would carry). */
export function allowedPattern(rule: RegExp): string {
  if (rule.flags !== '')
    throw new Error(`the rule ${rule} has flags (${rule.flags}), which AllowedPattern cannot carry`);
  return rule.source;
}

// S3's bucket and key naming rules (the code location is not a construct prop: nothing else checks it).
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const OBJECT_KEY = /^[A-Za-z0-9!_.*'()/-]{1,1024}$/;

export const RELEASE_PARAMETERS: readonly ReleaseParameter[] = [
  {
    name: 'CodeBucket',
    description:
      'S3 bucket holding the function code (lambda.zip), in the region of the stack. With CodeBucketRegionSuffix=true, the bucket <CodeBucket>-<region>.',
    rule: BUCKET_NAME,
    constraintDescription: 'an S3 bucket name: 3-63 lower-case letters, digits, dots and hyphens',
  },
  {
    name: 'CodeKey',
    description: 'S3 key of the function code, e.g. ses-smtp-rotation/0.1.0/lambda.zip',
    rule: OBJECT_KEY,
    constraintDescription: 'an S3 object key of letters, digits and !_.*()/- characters',
  },
  {
    name: 'CodeBucketRegionSuffix',
    description: 'true: read the code from <CodeBucket>-<region> (one bucket per region, for StackSets over regions)',
    allowedValues: ['false', 'true'],
    default: 'false',
  },
  {
    name: 'SendingIdentity',
    description: 'Verified SES identity (domain or address) the relays send from, e.g. example.com',
    rule: IDENTITY,
    constraintDescription: 'a domain such as example.com or an address such as mail@example.com',
    apply: (props, value) => ({ ...props, sending: { identities: [value] } }),
  },
  {
    name: 'FleetTagValue',
    description: `Relays to update: the nodes tagged ${RELEASE_FLEET_TAG_KEY}=<this value>`,
    rule: TAG_VALUE,
    default: 'true',
    constraintDescription: 'a tag value: not blank, without ; or ,',
    apply: (props, value) => ({ ...props, fleet: { ...props.fleet, tags: { [RELEASE_FLEET_TAG_KEY]: [value] } } }),
  },
  {
    name: 'MaxConcurrency',
    description: 'Relays updated at once (SSM MaxConcurrency), e.g. 1 or 10%',
    rule: MAX_CONCURRENCY,
    default: '10%',
    constraintDescription: 'a number such as 2 or a percentage such as 10%',
    apply: (props, value) => ({ ...props, fleet: { ...props.fleet, maxConcurrency: value } }),
  },
  {
    name: 'MaxErrors',
    description: 'Failed relays tolerated before the rollout stops (SSM MaxErrors), e.g. 0',
    rule: MAX_ERRORS,
    default: '0',
    constraintDescription: 'a number such as 0 or a percentage such as 10%',
    apply: (props, value) => ({ ...props, fleet: { ...props.fleet, maxErrors: value } }),
  },
  {
    name: 'NotificationEmail',
    description: "Address subscribed to this installation's notification topic (it must confirm AWS's e-mail)",
    rule: EMAIL,
    constraintDescription: 'an e-mail address',
    apply: (props, value) => ({ ...props, notifications: { emails: [value] } }),
  },
];

/** Declares every parameter on the stack and returns the props they make, plus the code location. */
export function declareReleaseParameters(stack: Stack): { props: ReleaseProps; codeBucket: string; codeKey: string } {
  let props: ReleaseProps = { sending: { identities: [] }, fleet: {} };
  const values: Record<string, string> = {};
  for (const parameter of RELEASE_PARAMETERS) {
    const cfn = new CfnParameter(stack, parameter.name, {
      type: 'String',
      description: parameter.description,
      ...(parameter.rule ? { allowedPattern: allowedPattern(parameter.rule) } : {}),
      ...(parameter.allowedValues ? { allowedValues: [...parameter.allowedValues] } : {}),
      ...(parameter.default !== undefined ? { default: parameter.default } : {}),
      ...(parameter.constraintDescription ? { constraintDescription: parameter.constraintDescription } : {}),
    });
    values[parameter.name] = cfn.valueAsString;
    if (parameter.apply) props = parameter.apply(props, cfn.valueAsString);
  }
  const regional = new CfnCondition(stack, 'CodeBucketIsRegional', {
    expression: Fn.conditionEquals(values.CodeBucketRegionSuffix!, 'true'),
  });
  const codeBucket = Fn.conditionIf(
    regional.logicalId,
    Fn.join('-', [values.CodeBucket!, stack.region]),
    values.CodeBucket!,
  ).toString();
  return { props, codeBucket, codeKey: values.CodeKey! };
}
