/**
 * The release template as a service-managed StackSet deploys it: one stack per account and region, across
 * partitions. Every value is evaluated as CloudFormation would for that stack, then: no physical name or export
 * collides between stack instances (nor between two installations in one account and region), and every ARN the
 * template composes names the stack's own partition, region and account.
 */
import { releaseTemplateJson, type TemplateJson } from './release-fixture';

interface Instance {
  readonly account: string;
  readonly region: string;
  readonly partition: string;
  readonly urlSuffix: string;
  readonly stackName: string;
}

const INSTANCES: Instance[] = [
  {
    account: '111111111111',
    region: 'eu-west-1',
    partition: 'aws',
    urlSuffix: 'amazonaws.com',
    stackName: 'StackSet-ses-smtp-aaaa',
  },
  {
    account: '111111111111',
    region: 'us-east-1',
    partition: 'aws',
    urlSuffix: 'amazonaws.com',
    stackName: 'StackSet-ses-smtp-aaaa',
  },
  {
    account: '222222222222',
    region: 'eu-west-1',
    partition: 'aws',
    urlSuffix: 'amazonaws.com',
    stackName: 'StackSet-ses-smtp-aaaa',
  },
  {
    account: '333333333333',
    region: 'us-gov-west-1',
    partition: 'aws-us-gov',
    urlSuffix: 'amazonaws.com',
    stackName: 'StackSet-ses-smtp-bbbb',
  },
  {
    account: '444444444444',
    region: 'cn-north-1',
    partition: 'aws-cn',
    urlSuffix: 'amazonaws.com.cn',
    stackName: 'StackSet-ses-smtp-cccc',
  },
  // A second installation beside the first (a second SES user), in the same account and region.
  {
    account: '111111111111',
    region: 'eu-west-1',
    partition: 'aws',
    urlSuffix: 'amazonaws.com',
    stackName: 'ses-smtp-second',
  },
];

const PARAMETERS: Record<string, string> = {
  CodeBucket: 'org-ses-smtp-rotation',
  CodeKey: 'ses-smtp-rotation/0.1.0/lambda.zip',
  CodeBucketRegionSuffix: 'true',
  SendingIdentity: 'example.com',
  NotificationEmail: 'mail-ops@example.com',
};

/** Properties that name a resource and must be unique per account and region when set. */
const UNIQUE_NAMES: Record<string, string> = {
  'AWS::IAM::User': 'UserName',
  'AWS::IAM::Role': 'RoleName',
  'AWS::Lambda::Function': 'FunctionName',
  'AWS::SecretsManager::Secret': 'Name',
  'AWS::SSM::Document': 'Name',
  'AWS::SNS::Topic': 'TopicName',
  'AWS::Logs::LogGroup': 'LogGroupName',
  'AWS::Events::Rule': 'Name',
  'AWS::CloudWatch::Alarm': 'AlarmName',
  'AWS::CloudWatch::Dashboard': 'DashboardName',
  'AWS::KMS::Key': 'Alias',
};

/** What CloudFormation generates for a resource without a name (stack name, logical id, random suffix). */
function physicalName(instance: Instance, logicalId: string): string {
  return `${instance.stackName}-${logicalId}-${instance.account.slice(0, 4)}${instance.region.length}`;
}

/** Evaluates a template value for one stack instance (the intrinsics the template uses). */
function evaluator(template: TemplateJson, instance: Instance) {
  const resources = template.Resources as Record<string, { Type: string }>;
  const arn = (service: string, resource: string, region = instance.region) =>
    `arn:${instance.partition}:${service}:${region}:${instance.account}:${resource}`;
  const refOf = (id: string): string => {
    const name = physicalName(instance, id);
    switch (resources[id]?.Type) {
      case 'AWS::SecretsManager::Secret':
        return arn('secretsmanager', `secret:${name}-AbCdEf`);
      case 'AWS::SNS::Topic':
        return arn('sns', name);
      default:
        return name;
    }
  };
  const attArn = (id: string): string => {
    const name = physicalName(instance, id);
    const type = resources[id]?.Type;
    const byType: Record<string, string> = {
      'AWS::KMS::Key': arn('kms', `key/${name}`),
      'AWS::Events::Rule': arn('events', `rule/${name}`),
      'AWS::CloudWatch::Alarm': arn('cloudwatch', `alarm:${name}`),
      'AWS::IAM::User': arn('iam', `user/${name}`, ''),
      'AWS::IAM::Role': arn('iam', `role/${name}`, ''),
      'AWS::Logs::LogGroup': arn('logs', `log-group:${name}:*`),
      'AWS::Lambda::Function': arn('lambda', `function:${name}`),
    };
    const value = byType[type ?? ''];
    if (value === undefined) throw new Error(`no Arn attribute modelled for ${type}`);
    return value;
  };
  const pseudo: Record<string, string> = {
    'AWS::Partition': instance.partition,
    'AWS::Region': instance.region,
    'AWS::AccountId': instance.account,
    'AWS::URLSuffix': instance.urlSuffix,
    'AWS::StackName': instance.stackName,
  };
  const parameter = (name: string): string | undefined =>
    PARAMETERS[name] ?? (template.Parameters?.[name]?.Default as string | undefined);
  const condition = (name: string): boolean => {
    const [left, right] = template.Conditions[name]['Fn::Equals'] as unknown[];
    return evaluate(left) === evaluate(right);
  };
  const evaluate = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(evaluate);
    if (value === null || typeof value !== 'object') return value;
    const object = value as Record<string, unknown>;
    if ('Ref' in object) {
      const ref = String(object.Ref);
      return pseudo[ref] ?? parameter(ref) ?? refOf(ref);
    }
    if ('Fn::GetAtt' in object) {
      const [id, attribute] = object['Fn::GetAtt'] as [string, string];
      if (attribute !== 'Arn') throw new Error(`attribute ${attribute} is not modelled`);
      return attArn(id);
    }
    if ('Fn::Join' in object) {
      const [separator, parts] = object['Fn::Join'] as [string, unknown[]];
      return (evaluate(parts) as unknown[]).join(separator);
    }
    if ('Fn::If' in object) {
      const [name, whenTrue, whenFalse] = object['Fn::If'] as [string, unknown, unknown];
      return evaluate(condition(name) ? whenTrue : whenFalse);
    }
    return Object.fromEntries(Object.entries(object).map(([key, inner]) => [key, evaluate(inner)]));
  };
  return evaluate;
}

/** Every string inside a value. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

describe('the release template as a StackSet', () => {
  const template = releaseTemplateJson();
  const evaluated = INSTANCES.map((instance) => ({
    instance,
    resources: evaluator(template, instance)(template.Resources) as Record<
      string,
      { Type: string; Properties?: Record<string, unknown> }
    >,
  }));

  it('sets no name that must be unique in an account and region, and exports nothing', () => {
    const named = Object.entries(template.Resources as Record<string, { Type: string; Properties?: object }>)
      .filter(([, r]) => UNIQUE_NAMES[r.Type] !== undefined && UNIQUE_NAMES[r.Type]! in (r.Properties ?? {}))
      .map(([id]) => id);
    expect(named).toEqual([]);
    const exported = Object.entries((template.Outputs ?? {}) as Record<string, { Export?: unknown }>).filter(
      ([, output]) => output.Export !== undefined,
    );
    expect(exported).toEqual([]);
    expect(Object.keys(template.Outputs ?? {})).toContain('CommandOutputLogGroup');
  });

  it('lists the saved queries of two installations in one account and region apart', () => {
    const queryNames = (stackName: string) =>
      evaluated
        .filter(({ instance }) => instance.stackName === stackName && instance.account === '111111111111')
        .flatMap(({ resources }) => Object.values(resources))
        .filter((r) => r.Type === 'AWS::Logs::QueryDefinition')
        .map((r) => r.Properties?.Name as string);
    const first = queryNames('StackSet-ses-smtp-aaaa');
    const second = queryNames('ses-smtp-second');
    expect(first).toContain('ses-smtp-rotation/StackSet-ses-smtp-aaaa/last-rotations');
    expect(second.filter((name) => first.includes(name))).toEqual([]);
  });

  it.each(
    INSTANCES.map((instance, index) => [`${instance.partition} ${instance.region} ${instance.stackName}`, index]),
  )('composes every ARN in the stack’s own partition, region and account (%s)', (_name, index) => {
    const { instance, resources } = evaluated[index as number]!;
    const arns = strings(resources).filter((s) => s.startsWith('arn:'));
    const wrong = arns.filter((value) => {
      const [, partition, , region, account] = value.split(':');
      return (
        partition !== instance.partition ||
        !['', instance.region].includes(region!) ||
        !['', instance.account, 'aws'].includes(account!)
      );
    });
    expect(arns.length).toBeGreaterThan(20);
    expect(wrong).toEqual([]);
  });

  it('reads the code from the bucket of the stack’s own region when CodeBucketRegionSuffix is true', () => {
    const buckets = evaluated.map(({ instance, resources }) => {
      const fn = Object.values(resources).find((r) => r.Type === 'AWS::Lambda::Function');
      return [instance.region, (fn?.Properties?.Code as { S3Bucket: string }).S3Bucket];
    });
    expect(buckets).toContainEqual(['us-gov-west-1', 'org-ses-smtp-rotation-us-gov-west-1']);
    expect(buckets.every(([region, bucket]) => bucket === `org-ses-smtp-rotation-${region}`)).toBe(true);
  });

  it('notifies each account on its own topic, whose key only that account’s EventBridge and CloudWatch use', () => {
    for (const { instance, resources } of evaluated) {
      const key = Object.values(resources).find((r) => r.Type === 'AWS::KMS::Key');
      const services = (key?.Properties?.KeyPolicy as { Statement: { Condition?: object }[] }).Statement.filter(
        (s) => s.Condition !== undefined,
      );
      expect(services.map((s) => s.Condition)).toEqual(
        services.map(() => ({ StringEquals: { 'aws:SourceAccount': instance.account } })),
      );
    }
  });
});
