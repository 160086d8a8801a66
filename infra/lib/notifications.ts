import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import type { NotificationOptions } from './props';

/**
 * The notification topic: created here (KMS-encrypted with its own key, TLS only) or an existing one. Success
 * notifications come from the function; failures from the rule and alarm in alarms.ts.
 */
export class NotificationTopic extends Construct {
  readonly topic: sns.ITopic;
  /** The key the topic is encrypted with, when known (publishers need it). */
  readonly topicKey?: kms.IKey;
  /** True when the topic is created here, so its policy may be extended. */
  readonly owned: boolean;

  constructor(scope: Construct, id: string, props: NotificationOptions = {}) {
    super(scope, id);
    if (props.topic) {
      this.topic = props.topic;
      this.topicKey = props.topicKey;
      this.owned = false;
    } else {
      const account = Stack.of(this).account;
      // A customer managed key: the AWS managed SNS key does not let EventBridge or CloudWatch publish.
      const key = new kms.Key(this, 'Key', {
        description: 'Encrypts the SES SMTP rotation notification topic',
        enableKeyRotation: true,
        // Messages are transient: nothing readable is lost with the key.
        removalPolicy: RemovalPolicy.DESTROY,
      });
      for (const service of ['events.amazonaws.com', 'cloudwatch.amazonaws.com']) {
        key.addToResourcePolicy(
          new iam.PolicyStatement({
            principals: [new iam.ServicePrincipal(service)],
            actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
            resources: ['*'],
            conditions: { StringEquals: { 'aws:SourceAccount': account } },
          }),
        );
      }
      this.topicKey = key;
      this.topic = new sns.Topic(this, 'Topic', {
        displayName: 'SES SMTP credential rotation',
        masterKey: key,
        enforceSSL: true,
      });
      this.owned = true;
    }
    for (const email of props.emails ?? []) this.topic.addSubscription(new subscriptions.EmailSubscription(email));
  }
}
