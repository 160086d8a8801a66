/**
 * The function's adapters that a step may not need (IAM, the SSM push, the SMTP probe, SNS, the manual-consumer
 * registry, the Parameter Store copy, metrics), each loaded and built on its first call. The handler reaches their
 * modules through `import()`, which the bundler (an ES module bundle with code splitting) turns into separate
 * chunks: a container's initialisation parses only the Secrets Manager client, the logger and the step logic, and a
 * container started for `createSecret` never parses SSM, SNS or nodemailer code. A static import of those modules
 * anywhere on the handler's path would undo that.
 */
import type { RotationMetrics } from '../rotation/deps';
import type { CredentialCopy, Fleet, ManualConsumerRegistry, Notifier, SmtpProbe, UserKeys } from '../rotation/ports';

/** Access keys that load and build the IAM adapter on their first call. */
export function keysOnFirstUse(make: () => Promise<UserKeys>): UserKeys {
  const real = once(make);
  return {
    list: async (...args) => (await real()).list(...args),
    lastUsed: async (...args) => (await real()).lastUsed(...args),
    lastUse: async (...args) => (await real()).lastUse(...args),
    setStatus: async (...args) => (await real()).setStatus(...args),
    create: async (...args) => (await real()).create(...args),
    delete: async (...args) => (await real()).delete(...args),
  };
}

/** Metrics that load and build their publisher on the first record. */
export function metricsOnFirstUse(make: () => Promise<RotationMetrics>): RotationMetrics {
  const real = once(make);
  return {
    rotation: async (...args) => (await real()).rotation(...args),
    retirement: async (...args) => (await real()).retirement(...args),
  };
}

/** A fleet that loads and builds the real one on its first push; a failed load is retried on the next push. */
export function fleetOnFirstUse(make: () => Promise<Fleet>): Fleet {
  const real = once(make);
  return { deliver: async (request, deadline) => (await real()).deliver(request, deadline) };
}

/** A probe that loads and builds the real one on its first login. */
export function probeOnFirstUse(make: () => Promise<SmtpProbe>): SmtpProbe {
  const real = once(make);
  return { authenticate: async (target, deadline) => (await real()).authenticate(target, deadline) };
}

/** A notifier that loads and builds the real one on its first notification. */
export function notifierOnFirstUse(make: () => Promise<Notifier>): Notifier {
  const real = once(make);
  return {
    rotationSucceeded: async (audit) => (await real()).rotationSucceeded(audit),
    retirement: async (notice) => (await real()).retirement?.(notice),
    manualConsumers: async (notice) => (await real()).manualConsumers?.(notice),
  };
}

/** A manual-consumer registry that loads and builds the real one on its first read. */
export function registryOnFirstUse(make: () => Promise<ManualConsumerRegistry>): ManualConsumerRegistry {
  const real = once(make);
  return {
    consumers: async (...args) => (await real()).consumers(...args),
    confirmations: async (...args) => (await real()).confirmations(...args),
    waitState: async (...args) => (await real()).waitState(...args),
    startWait: async (...args) => (await real()).startWait(...args),
    markWait: async (...args) => (await real()).markWait(...args),
  };
}

/** A credential copy that loads and builds the real one on its first write. */
export function copyOnFirstUse(name: string, make: () => Promise<CredentialCopy>): CredentialCopy {
  const real = once(make);
  return { name, write: async (...args) => (await real()).write(...args) };
}

/** `make` called once; a rejected promise is forgotten so that the next call tries again. */
function once<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined;
  return () => {
    made ??= make().catch((error: unknown) => {
      made = undefined;
      throw error;
    });
    return made;
  };
}
