import {
  ParameterAlreadyExists,
  ParameterNotFound,
  type GetParameterCommandInput,
  type GetParameterCommandOutput,
  type PutParameterCommandInput,
  type PutParameterCommandOutput,
} from '@aws-sdk/client-ssm';
import { meta, type Output } from './sdk-output';

interface StoredParameter {
  value: string;
  type: string;
  version: number;
  keyId?: string;
}

/**
 * A stateful fake of SSM Parameter Store for the parameters the rotation writes: PutParameter refuses an existing
 * name without Overwrite (ParameterAlreadyExists) and counts versions; GetParameter answers ParameterNotFound for
 * a missing one. SecureString values are kept as given (the fake has no KMS).
 */
export class FakeParameterStore {
  private readonly parameters = new Map<string, StoredParameter>();

  putParameter(input: PutParameterCommandInput): Output<PutParameterCommandOutput> {
    const name = input.Name ?? '';
    const existing = this.parameters.get(name);
    if (existing && !input.Overwrite) {
      throw new ParameterAlreadyExists({ message: 'The parameter already exists.', ...meta });
    }
    const version = (existing?.version ?? 0) + 1;
    this.parameters.set(name, {
      value: input.Value ?? '',
      type: input.Type ?? 'String',
      version,
      ...(input.KeyId ? { keyId: input.KeyId } : {}),
    });
    return { Version: version, Tier: 'Standard' };
  }

  getParameter(input: GetParameterCommandInput): Output<GetParameterCommandOutput> {
    const name = input.Name ?? '';
    const stored = this.parameters.get(name);
    if (!stored) throw new ParameterNotFound({ message: `Parameter ${name} not found.`, ...meta });
    const hidden = stored.type === 'SecureString' && !input.WithDecryption;
    return {
      Parameter: {
        Name: name,
        Type: stored.type as 'SecureString',
        Value: hidden ? 'AQICAH-encrypted-blob' : stored.value,
        Version: stored.version,
      },
    };
  }

  /** The stored parameter (tests and invariants). */
  peek(name: string): StoredParameter | undefined {
    return this.parameters.get(name);
  }
}
