import {
  copyOnFirstUse,
  fleetOnFirstUse,
  keysOnFirstUse,
  metricsOnFirstUse,
  notifierOnFirstUse,
  probeOnFirstUse,
  registryOnFirstUse,
} from '../../src/adapters/on-first-use';
import { Deadline, systemClock } from '../../src/core/clock';
import type {
  CredentialCopy,
  Fleet,
  ManualConsumerRegistry,
  Notifier,
  RotationAudit,
  SmtpProbe,
  UserKeys,
} from '../../src/rotation/ports';
import type { RotationMetrics } from '../../src/rotation/deps';

const deadline = Deadline.after(systemClock, 60_000, 0);
const report = { commandId: 'c-1', hostsUpdated: 2, hostIds: [] } as unknown as Awaited<ReturnType<Fleet['deliver']>>;

describe('fleetOnFirstUse', () => {
  it('builds nothing until the first push, then builds once for every later push', async () => {
    // Prepare
    const deliver = jest.fn(async (_request: { versionId: string }) => report);
    const make = jest.fn(async (): Promise<Fleet> => ({ deliver }));
    const fleet = fleetOnFirstUse(make);

    // Act
    const before = make.mock.calls.length;
    await fleet.deliver({ secretArn: 'arn', versionId: 'v1' }, deadline);
    await fleet.deliver({ secretArn: 'arn', versionId: 'v2' }, deadline);

    // Assess
    expect(before).toBe(0);
    expect(make).toHaveBeenCalledTimes(1);
    expect(deliver.mock.calls.map(([request]) => request.versionId)).toEqual(['v1', 'v2']);
  });

  it('reports a failed load to the caller and tries again on the next push', async () => {
    // Prepare
    const make = jest
      .fn<Promise<Fleet>, []>()
      .mockRejectedValueOnce(new Error('chunk missing'))
      .mockResolvedValue({ deliver: async () => report });
    const fleet = fleetOnFirstUse(make);

    // Act / Assess
    await expect(fleet.deliver({ secretArn: 'arn', versionId: 'v1' }, deadline)).rejects.toThrow('chunk missing');
    await expect(fleet.deliver({ secretArn: 'arn', versionId: 'v1' }, deadline)).resolves.toBe(report);
    expect(make).toHaveBeenCalledTimes(2);
  });
});

describe('probeOnFirstUse', () => {
  it('passes the target and deadline to the probe it builds on the first login', async () => {
    // Prepare
    const authenticate = jest.fn(async () => ({ attempts: 1, elapsedMs: 5 }));
    const make = jest.fn(async (): Promise<SmtpProbe> => ({ authenticate }) as unknown as SmtpProbe);
    const target = { host: 'email-smtp.eu-west-1.amazonaws.com', port: 587, region: 'eu-west-1' };

    // Act
    const result = await probeOnFirstUse(make).authenticate(target as never, deadline);

    // Assess
    expect(result).toEqual({ attempts: 1, elapsedMs: 5 });
    expect(authenticate).toHaveBeenCalledWith(target, deadline);
  });
});

describe('notifierOnFirstUse', () => {
  it('builds the notifier once for both kinds of notification, and skips what the notifier lacks', async () => {
    // Prepare
    const rotationSucceeded = jest.fn(async () => undefined);
    const make = jest.fn(async (): Promise<Notifier> => ({ rotationSucceeded }));
    const notifier = notifierOnFirstUse(make);

    // Act
    await notifier.rotationSucceeded({ versionId: 'v1' } as RotationAudit);
    await notifier.retirement?.({} as never);

    // Assess
    expect(make).toHaveBeenCalledTimes(1);
    expect(rotationSucceeded).toHaveBeenCalledWith({ versionId: 'v1' });
  });
});

describe('registryOnFirstUse and copyOnFirstUse', () => {
  it('forward every registry method to one registry built on the first read', async () => {
    // Prepare
    const calls: string[] = [];
    const registry = Object.fromEntries(
      ['consumers', 'confirmations', 'waitState', 'startWait', 'markWait'].map((name) => [
        name,
        async (...args: unknown[]) => {
          calls.push(`${name}(${args.length})`);
          return name === 'consumers' || name === 'confirmations' ? [] : undefined;
        },
      ]),
    ) as unknown as ManualConsumerRegistry;
    const make = jest.fn(async () => registry);
    const lazy = registryOnFirstUse(make);

    // Act
    await lazy.consumers('arn');
    await lazy.confirmations('arn', 'v1');
    await lazy.waitState('arn', 'v1');
    await lazy.startWait('arn', 'v1', new Date(0));
    await (lazy.markWait as (...a: unknown[]) => Promise<unknown>)('arn', 'v1', 'notifiedAt', undefined, new Date(0));

    // Assess
    expect(make).toHaveBeenCalledTimes(1);
    expect(calls).toEqual(['consumers(1)', 'confirmations(2)', 'waitState(2)', 'startWait(3)', 'markWait(5)']);
  });

  it('names the copy without loading it, and loads it on the first write', async () => {
    const write = jest.fn(async () => 'written' as const);
    const make = jest.fn(async (): Promise<CredentialCopy> => ({ name: '/mail/ses-smtp', write }));
    const copy = copyOnFirstUse('/mail/ses-smtp', make);

    expect(copy.name).toBe('/mail/ses-smtp');
    expect(make).not.toHaveBeenCalled();
    await expect(copy.write({} as never, { versionId: 'v1' })).resolves.toBe('written');
    expect(make).toHaveBeenCalledTimes(1);
  });

  it('forwards the manual-consumer notices of a notifier built on first use', async () => {
    const manualConsumers = jest.fn(async () => undefined);
    const notifier = notifierOnFirstUse(async () => ({ rotationSucceeded: async () => undefined, manualConsumers }));
    await notifier.manualConsumers?.({} as never);
    expect(manualConsumers).toHaveBeenCalledTimes(1);
  });
});

describe('keysOnFirstUse', () => {
  it('forwards every access-key call to one adapter built on the first call', async () => {
    // Prepare
    const calls: string[] = [];
    const record =
      (name: string, result: unknown) =>
      async (...args: unknown[]) => {
        calls.push(`${name}(${args.join(',')})`);
        return result;
      };
    const real = {
      list: record('list', []),
      lastUsed: record('lastUsed', undefined),
      lastUse: record('lastUse', undefined),
      setStatus: record('setStatus', undefined),
      create: record('create', { id: 'AKIAEXAMPLE', secret: 'x' }),
      delete: record('delete', undefined),
    } as unknown as UserKeys;
    const make = jest.fn(async () => real);
    const keys = keysOnFirstUse(make);

    // Act
    const before = make.mock.calls.length;
    await keys.list('relay');
    await keys.lastUsed('AKIA1');
    await keys.lastUse('AKIA1');
    await keys.setStatus('relay', 'AKIA1', 'Inactive');
    const minted = await keys.create('relay');
    await keys.delete('relay', 'AKIA1');

    // Assess
    expect(before).toBe(0);
    expect(make).toHaveBeenCalledTimes(1);
    expect(minted).toEqual({ id: 'AKIAEXAMPLE', secret: 'x' });
    expect(calls).toEqual([
      'list(relay)',
      'lastUsed(AKIA1)',
      'lastUse(AKIA1)',
      'setStatus(relay,AKIA1,Inactive)',
      'create(relay)',
      'delete(relay,AKIA1)',
    ]);
  });
});

describe('metricsOnFirstUse', () => {
  it('loads the publisher on the first record and waits for it before resolving', async () => {
    // Prepare
    const published: string[] = [];
    const make = jest.fn(async (): Promise<RotationMetrics> => {
      await new Promise((resolve) => setImmediate(resolve));
      return {
        rotation: (hosts, seconds) => void published.push(`rotation ${hosts} ${seconds}`),
        retirement: (m) => void published.push(`retirement ${m.oldKeyInUse}`),
      };
    });
    const metrics = metricsOnFirstUse(make);

    // Act
    const before = make.mock.calls.length;
    await metrics.rotation(3, 12);
    await metrics.retirement({ oldKeyInUse: 1, oldKeyActiveHours: 2 });

    // Assess
    expect(before).toBe(0);
    expect(make).toHaveBeenCalledTimes(1);
    expect(published).toEqual(['rotation 3 12', 'retirement 1']);
  });
});
