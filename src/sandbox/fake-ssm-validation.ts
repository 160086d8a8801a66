/**
 * Input checks of the fake SSM, raising the SDK's own exception classes as the service would, so adapter code is
 * tested against the errors it will meet (unknown document, bad node id, parameters off the document's patterns).
 */
import {
  DuplicateInstanceId,
  InvalidDocument,
  InvalidInstanceId,
  InvalidParameters,
  SSMServiceException,
  type SendCommandCommandInput,
} from '@aws-sdk/client-ssm';
import { DOCUMENT_PARAMETERS } from '../core/document-contract';
import type { HostPlatform } from './fake-fleet-hosts';

/** A document the fake knows: its parameters (all required) and the platforms it supports. */
export interface FakeDocument {
  readonly name: string;
  /** Parameter name → allowedPattern (default: the project's document contract). */
  readonly parameters?: Readonly<Record<string, { readonly allowedPattern: string }>>;
  /** Default Linux and Windows (one schema-2.2 document with platform preconditions). */
  readonly platformTypes?: readonly HostPlatform[];
  /** The plugins' `timeoutSeconds`: a host running longer ends Execution Timed Out (default 600). */
  readonly executionTimeoutSeconds?: number;
}

/** Name of the document the fake registers when none are given. */
export const DEFAULT_FAKE_DOCUMENT = 'ses-smtp-rotation-UpdateRelayCredential';

const INSTANCE_ID = /^(i-([0-9a-f]{8}|[0-9a-f]{17})|mi-[0-9a-f]{17})$/;
const MAX_CONCURRENCY = /^([1-9][0-9]*|[1-9][0-9]%|[1-9]%|100%)$/;
const MAX_ERRORS = /^([1-9][0-9]*|[0]|[1-9][0-9]%|[0-9]%|100%)$/;

/** An SDK exception of class `Class`, as the service would return it. */
export function sdkError<E>(Class: new (options: { $metadata: object; message: string }) => E, message: string): E {
  return new Class({ $metadata: {}, message });
}

/** The generic validation error SSM returns for model constraint violations. */
export function validationError(message: string): SSMServiceException {
  return new SSMServiceException({ name: 'ValidationException', $fault: 'client', $metadata: {}, message });
}

/** Finds a document by name or by an ARN ending in `document/<name>`. */
export function findDocument(documents: readonly FakeDocument[], nameOrArn: string | undefined): FakeDocument {
  const name = nameOrArn?.includes(':document/') ? nameOrArn.slice(nameOrArn.lastIndexOf('/') + 1) : nameOrArn;
  const document = documents.find((d) => d.name === name);
  if (!document) throw sdkError(InvalidDocument, `Document ${nameOrArn ?? ''} does not exist.`);
  return document;
}

/** Checks a SendCommand input as SSM would; returns the document it names. */
export function validateSendCommand(input: SendCommandCommandInput, documents: readonly FakeDocument[]): FakeDocument {
  const document = findDocument(documents, input.DocumentName);
  validateParameters(input.Parameters ?? {}, document);
  const ids = input.InstanceIds ?? [];
  const targets = input.Targets ?? [];
  if (ids.length > 0 === targets.length > 0) {
    throw validationError('Specify either InstanceIds or Targets, not both and not neither.');
  }
  if (ids.length > 50) throw validationError('InstanceIds: at most 50 node ids.');
  for (const id of ids) {
    if (!INSTANCE_ID.test(id)) throw sdkError(InvalidInstanceId, `Invalid instance id ${id}`);
  }
  if (new Set(ids).size !== ids.length) throw sdkError(DuplicateInstanceId, 'Duplicate instance ids.');
  if (targets.length > 5) throw validationError('Targets: at most 5 entries.');
  for (const t of targets) {
    if (!t.Key?.startsWith('tag:') && t.Key !== 'InstanceIds') {
      throw validationError(`Target key ${t.Key ?? ''} is not supported by this fake (use tag:<name> or InstanceIds).`);
    }
    if (!t.Values || t.Values.length === 0 || t.Values.length > 50) {
      throw validationError('Target values: 1 to 50 per key.');
    }
  }
  if (input.MaxConcurrency !== undefined && !MAX_CONCURRENCY.test(input.MaxConcurrency)) {
    throw validationError(`MaxConcurrency ${input.MaxConcurrency} does not match ${MAX_CONCURRENCY.source}`);
  }
  if (input.MaxErrors !== undefined && !MAX_ERRORS.test(input.MaxErrors)) {
    throw validationError(`MaxErrors ${input.MaxErrors} does not match ${MAX_ERRORS.source}`);
  }
  const timeout = input.TimeoutSeconds;
  if (timeout !== undefined && (!Number.isInteger(timeout) || timeout < 30 || timeout > 2_592_000)) {
    throw validationError('TimeoutSeconds must be between 30 and 2592000.');
  }
  if (input.Comment !== undefined && input.Comment.length > 100) {
    throw validationError('Comment: at most 100 characters.');
  }
  return document;
}

function validateParameters(given: Record<string, string[]>, document: FakeDocument): void {
  const declared = document.parameters ?? DOCUMENT_PARAMETERS;
  for (const name of Object.keys(given)) {
    if (!(name in declared)) {
      throw sdkError(InvalidParameters, `Parameter ${name} is not declared by the document.`);
    }
  }
  for (const [name, { allowedPattern }] of Object.entries(declared)) {
    const values = given[name];
    if (!values || values.length !== 1) {
      throw sdkError(InvalidParameters, `Parameter ${name} requires exactly one value.`);
    }
    if (!new RegExp(allowedPattern).test(values[0] ?? '')) {
      throw sdkError(InvalidParameters, `Parameter ${name} does not match its allowedPattern.`);
    }
  }
}
