/**
 * A fake of the one Lambda call the operator CLI makes: GetFunctionConfiguration of the rotation function, whose
 * environment tells the CLI the SES user, the SSM document and the targeting. The environment is the sandbox
 * account's, with overrides a test can set to simulate a misconfigured function.
 */
import {
  ResourceNotFoundException,
  type GetFunctionConfigurationCommandInput,
  type GetFunctionConfigurationCommandOutput,
} from '@aws-sdk/client-lambda';
import type { Output } from './sdk-output';

/** The sandbox's rotation function. */
export class FakeLambda {
  /** Merged over the account's environment; a value of undefined removes the variable. */
  overrides: NodeJS.ProcessEnv = {};

  constructor(
    readonly functionArn: string,
    private readonly environment: () => NodeJS.ProcessEnv,
    /** The function's log group (LoggingConfig.LogGroup), as the construct sets one. */
    readonly logGroup = `/aws/lambda/${functionArn.slice(functionArn.lastIndexOf(':') + 1)}`,
  ) {}

  getFunctionConfiguration(input: GetFunctionConfigurationCommandInput): Output<GetFunctionConfigurationCommandOutput> {
    const name = this.functionArn.slice(this.functionArn.lastIndexOf(':') + 1);
    if (input.FunctionName !== this.functionArn && input.FunctionName !== name) {
      throw new ResourceNotFoundException({
        $metadata: {},
        message: `Function not found: ${input.FunctionName ?? ''}`,
        Type: 'User',
      });
    }
    const variables: Record<string, string> = {};
    for (const [key, value] of Object.entries({ ...this.environment(), ...this.overrides })) {
      if (value !== undefined) variables[key] = value;
    }
    return {
      FunctionName: name,
      FunctionArn: this.functionArn,
      Runtime: 'nodejs22.x',
      Handler: 'index.handler',
      Timeout: 900,
      Environment: { Variables: variables },
      LoggingConfig: { LogFormat: 'Text', LogGroup: this.logGroup },
    };
  }
}
