import { App, Aws, BootstraplessSynthesizer, Stack, Validations } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { SesSmtpRotation } from '../lib/ses-smtp-rotation';
import { addRotationOutputs } from '../lib/ses-smtp-rotation-stack';
import { declareReleaseParameters } from './parameters';

/** The release template's stack id (it appears in nothing the template names: CloudFormation names the stack). */
export const RELEASE_STACK_ID = 'SesSmtpRotation';

/**
 * The construct as a plain CloudFormation template: every input a Parameter, the function's code from
 * CodeBucket/CodeKey, no asset and no CDK bootstrap (the synthesizer refuses assets), no fixed resource names, no
 * CDK metadata. The same template serves `aws cloudformation deploy` and a service-managed StackSet.
 */
export function releaseApp(outdir?: string): { app: App; stack: Stack; rotation: SesSmtpRotation } {
  const app = new App({
    ...(outdir ? { outdir } : {}),
    analyticsReporting: false,
    context: { 'aws:cdk:enable-path-metadata': false, 'aws:cdk:version-reporting': false },
  });
  const stack = new Stack(app, RELEASE_STACK_ID, {
    synthesizer: new BootstraplessSynthesizer(),
    description: 'Rotates an Amazon SES SMTP credential across mail relays (ses-smtp-rotation release template)',
  });
  const { props, codeBucket, codeKey } = declareReleaseParameters(stack);
  const bucket = s3.Bucket.fromBucketName(stack, 'CodeBucketRef', codeBucket);
  // The construct names its saved queries after its path, the same in every copy of this template: name them
  // after the stack instead, so two installations in one account and region list apart in the console.
  const rotation = new SesSmtpRotation(stack, 'Rotation', {
    ...props,
    code: lambda.Code.fromBucket(bucket, codeKey),
    queriesFolder: `ses-smtp-rotation/${Aws.STACK_NAME}`,
  });
  // Outputs, never exports: an export name must be unique per account and region, and StackSets repeat the stack.
  addRotationOutputs(stack, rotation);
  // The acknowledgments travel in the template (resource Metadata cdk_nag): a reviewer of the release sees each
  // acknowledged finding and its reason without the construct's sources.
  Validations.of(app).addPlugins(
    new AwsSolutionsChecks(app, { verbose: true, writeSuppressionsToCloudFormation: true }),
  );
  return { app, stack, rotation };
}

/** The release template as CloudFormation JSON (cdk-nag runs during synthesis: a finding throws). */
export function releaseTemplate(outdir?: string): Record<string, unknown> {
  const { app, stack } = releaseApp(outdir);
  return app.synth().getStackByName(stack.stackName).template as Record<string, unknown>;
}
