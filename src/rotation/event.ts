import { InvalidEventError } from './errors';

/** The four rotation steps Secrets Manager invokes, in order. */
export const STEPS = ['createSecret', 'setSecret', 'testSecret', 'finishSecret'] as const;
export type Step = (typeof STEPS)[number];

/** A validated rotation event. */
export interface RotationEvent {
  readonly step: Step;
  readonly secretId: string;
  /** The new version's id. */
  readonly token: string;
  /** Secrets Manager's proof of the caller; passed to PutSecretValue, never logged. */
  readonly rotationToken?: string;
}

const TOKEN = /^[A-Za-z0-9-]{32,64}$/;
const ROTATION_TOKEN = /^[a-zA-Z0-9-]{36,256}$/;

/** Parses the raw Lambda event; errors name the field, never a value that could be sensitive. */
export function parseRotationEvent(raw: unknown): RotationEvent {
  if (typeof raw !== 'object' || raw === null) throw new InvalidEventError('rotation event must be an object');
  const e = raw as Record<string, unknown>;
  if (typeof e.Step !== 'string' || !(STEPS as readonly string[]).includes(e.Step)) {
    throw new InvalidEventError(`rotation event field "Step" must be one of ${STEPS.join(', ')}`);
  }
  if (typeof e.SecretId !== 'string' || e.SecretId === '') {
    throw new InvalidEventError('rotation event field "SecretId" must be the secret ARN');
  }
  if (typeof e.ClientRequestToken !== 'string' || !TOKEN.test(e.ClientRequestToken)) {
    throw new InvalidEventError('rotation event field "ClientRequestToken" must be 32–64 letters, digits or hyphens');
  }
  if (e.RotationToken !== undefined && (typeof e.RotationToken !== 'string' || !ROTATION_TOKEN.test(e.RotationToken))) {
    throw new InvalidEventError('rotation event field "RotationToken" is malformed');
  }
  return {
    step: e.Step as Step,
    secretId: e.SecretId,
    token: e.ClientRequestToken,
    ...(typeof e.RotationToken === 'string' ? { rotationToken: e.RotationToken } : {}),
  };
}
