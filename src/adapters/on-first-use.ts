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

/**
 * Every method of `T`, each `true`: the compiler then refuses a wrapper that forgets a method a port gains.
 * An optional method the real adapter lacks resolves to undefined (a notifier without manual-consumer notices).
 */
type Methods<T> = { readonly [K in keyof T]-?: true };

/** A `T` whose methods load and build the real one on the first call and forward every call to it. */
function forwardOnFirstUse<T extends object>(make: () => Promise<T>, methods: Methods<T>): T {
  const real = once(make);
  const forward =
    (name: string) =>
    async (...args: unknown[]): Promise<unknown> => {
      const target = (await real()) as Record<string, ((...a: unknown[]) => unknown) | undefined>;
      return target[name]?.call(target, ...args);
    };
  return Object.fromEntries(Object.keys(methods).map((name) => [name, forward(name)])) as T;
}

/** Access keys that load and build the IAM adapter on their first call. */
export function keysOnFirstUse(make: () => Promise<UserKeys>): UserKeys {
  const methods = { list: true, lastUsed: true, lastUse: true, setStatus: true, create: true, delete: true } as const;
  return forwardOnFirstUse(make, methods);
}

/** Metrics that load and build their publisher on the first record. */
export function metricsOnFirstUse(make: () => Promise<RotationMetrics>): RotationMetrics {
  return forwardOnFirstUse(make, { rotation: true, retirement: true });
}

/** A fleet that loads and builds the real one on its first push; a failed load is retried on the next push. */
export function fleetOnFirstUse(make: () => Promise<Fleet>): Fleet {
  return forwardOnFirstUse(make, { deliver: true });
}

/** A probe that loads and builds the real one on its first login. */
export function probeOnFirstUse(make: () => Promise<SmtpProbe>): SmtpProbe {
  return forwardOnFirstUse(make, { authenticate: true });
}

/** A notifier that loads and builds the real one on its first notification. */
export function notifierOnFirstUse(make: () => Promise<Notifier>): Notifier {
  return forwardOnFirstUse(make, { rotationSucceeded: true, retirement: true, manualConsumers: true });
}

/** A manual-consumer registry that loads and builds the real one on its first read. */
export function registryOnFirstUse(make: () => Promise<ManualConsumerRegistry>): ManualConsumerRegistry {
  const methods = { consumers: true, confirmations: true, waitState: true, startWait: true, markWait: true } as const;
  return forwardOnFirstUse(make, methods);
}

/** A credential copy that loads and builds the real one on its first write. */
export function copyOnFirstUse(name: string, make: () => Promise<CredentialCopy>): CredentialCopy {
  return { name, ...forwardOnFirstUse<Pick<CredentialCopy, 'write'>>(make, { write: true }) };
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
