import { abandonPushIsCurrent, decideAbandon, type AbandonObservation } from '../../src/cli/abandon-plan';
import type { VersionContent } from '../../src/cli/secret-state';

const NOW = Date.UTC(2025, 0, 10);
const CURRENT_KEY = 'AKIAEXAMPLE000000001';
const PENDING_KEY = 'AKIAEXAMPLE000000002';
const CONSOLE_KEY = 'AKIAEXAMPLE000000000';

function credential(username: string, iamUserName = 'ses-smtp-sender'): VersionContent {
  return {
    kind: 'credential',
    credential: {
      username,
      region: 'eu-west-1',
      endpoint: 'email-smtp.eu-west-1.amazonaws.com',
      port: 587,
      iamUserName,
    },
  };
}

/** A routine rotation stuck after a failed push: both keys active, nothing pushed back yet. */
function stuck(overrides: Partial<AbandonObservation> = {}): AbandonObservation {
  return {
    secretId: 'ses-smtp-credential',
    iamUserName: 'ses-smtp-sender',
    currentVersionId: 'cur',
    pendingVersionId: 'pen',
    current: credential(CURRENT_KEY),
    pending: credential(PENDING_KEY),
    pendingCreated: new Date(NOW - 3_600_000),
    keys: [
      { id: CURRENT_KEY, status: 'Active' },
      { id: PENDING_KEY, status: 'Active' },
    ],
    rotationPush: { commandId: 'cmd-rotation', requested: new Date(NOW - 3_000_000), running: false },
    now: NOW,
    ...overrides,
  };
}

const confirmedAt = (ms: number) => ({ confirmed: { commandId: 'cmd-abandon', requested: new Date(ms) } });
/** A first rotation: AWSCURRENT holds settings only and the relays use a console key. */
const first = (overrides: Partial<AbandonObservation> = {}) =>
  stuck({
    current: { kind: 'settings', settings: { iamUserName: 'ses-smtp-sender' }, asPending: '' },
    keys: [
      { id: CONSOLE_KEY, status: 'Active' },
      { id: PENDING_KEY, status: 'Active' },
    ],
    ...overrides,
  });

describe('decideAbandon', () => {
  it.each<[string, AbandonObservation, Record<string, unknown>]>([
    ['nothing pending', stuck({ pendingVersionId: undefined }), { kind: 'nothing-to-abandon' }],
    ['AWSPENDING on AWSCURRENT', stuck({ pendingVersionId: 'cur' }), { kind: 'nothing-to-abandon' }],
    [
      'a stuck rotation not pushed back yet',
      stuck(),
      {
        kind: 'push',
        versionId: 'cur',
        comment: 'ses-smtp-rotation abandon pen',
        newerThan: new Date(NOW - 3_000_000),
      },
    ],
    ['the push back confirmed', stuck(confirmedAt(NOW - 60_000)), { kind: 'delete-key', keyId: PENDING_KEY }],
    [
      'the pending key already deleted',
      stuck({ ...confirmedAt(NOW - 60_000), keys: [{ id: CURRENT_KEY, status: 'Active' }] }),
      { kind: 'clear-pending', versionId: 'pen' },
    ],
    [
      'a rotation retry pushed the pending version after the push back',
      stuck({ ...confirmedAt(NOW - 3_500_000) }),
      { kind: 'push', newerThan: new Date(NOW - 3_000_000) },
    ],
    [
      'a rotation retry pushing right now',
      stuck({ rotationPush: { commandId: 'cmd-retry', requested: new Date(NOW), running: true } }),
      { kind: 'refuse', reason: expect.stringContaining('SSM command cmd-retry is pushing the pending version') },
    ],
    [
      'the pending version without a value',
      stuck({ pending: { kind: 'no-value' }, rotationPush: undefined }),
      { kind: 'clear-pending', versionId: 'pen' },
    ],
    [
      'an unreadable pending version',
      stuck({
        pending: { kind: 'unreadable', problem: 'secret field "port" must be a TCP port number', asPending: '' },
      }),
      { kind: 'refuse', reason: expect.stringContaining('does not parse (secret field "port"') },
    ],
    [
      'an inactive AWSCURRENT key',
      stuck({
        keys: [
          { id: CURRENT_KEY, status: 'Inactive' },
          { id: PENDING_KEY, status: 'Active' },
        ],
      }),
      { kind: 'refuse', reason: expect.stringContaining('AKIA…0001 is missing or inactive') },
    ],
    [
      'a missing AWSCURRENT key',
      stuck({ keys: [{ id: PENDING_KEY, status: 'Active' }] }),
      { kind: 'refuse', reason: expect.stringContaining('missing or inactive') },
    ],
    [
      'a pending version of another user',
      stuck({ pending: credential(PENDING_KEY, 'someone-else') }),
      { kind: 'refuse', reason: expect.stringContaining('records user someone-else') },
    ],
    ['a first rotation never pushed', first({ rotationPush: undefined }), { kind: 'delete-key', keyId: PENDING_KEY }],
    [
      'a first rotation never pushed, pending key gone',
      first({ rotationPush: undefined, keys: [{ id: CONSOLE_KEY, status: 'Active' }] }),
      { kind: 'clear-pending', versionId: 'pen' },
    ],
    [
      'a first rotation already pushed',
      first(),
      { kind: 'refuse', reason: expect.stringContaining('cannot be pushed back') },
    ],
    [
      'a first rotation whose pending key is the only key',
      first({ rotationPush: undefined, keys: [{ id: PENDING_KEY, status: 'Active' }] }),
      { kind: 'refuse', reason: expect.stringContaining('would leave none') },
    ],
    [
      'a first rotation older than Run Command history',
      first({ rotationPush: undefined, pendingCreated: new Date(NOW - 31 * 86_400_000) }),
      { kind: 'refuse', reason: expect.stringContaining('30 days of Run Command history') },
    ],
    [
      'an empty secret on its first rotation (no AWSCURRENT at all)',
      first({ currentVersionId: undefined, current: undefined, rotationPush: undefined }),
      { kind: 'delete-key', keyId: PENDING_KEY },
    ],
  ])('decides for %s', (_name, observation, expected) => {
    expect(decideAbandon(observation)).toMatchObject(expected);
  });

  it('never names a whole key id in a refusal', () => {
    const action = decideAbandon(stuck({ keys: [] }));
    expect(JSON.stringify(action)).not.toContain(CURRENT_KEY);
    expect(JSON.stringify(action)).not.toContain(PENDING_KEY);
  });
});

describe('abandonPushIsCurrent', () => {
  const abandonAt = (ms?: number) => ({
    commandId: 'cmd-abandon',
    ...(ms !== undefined ? { requested: new Date(ms) } : {}),
  });

  it('counts an abandon push when the rotation never pushed the pending version', () => {
    expect(abandonPushIsCurrent(abandonAt(NOW), undefined)).toBe(true);
  });

  it('counts an abandon push requested after the rotation pushed the pending version', () => {
    expect(abandonPushIsCurrent(abandonAt(NOW), new Date(NOW - 1))).toBe(true);
  });

  it('does not count an abandon push the rotation pushed the pending version after, or of unknown time', () => {
    expect(abandonPushIsCurrent(abandonAt(NOW), new Date(NOW))).toBe(false);
    expect(abandonPushIsCurrent(abandonAt(), new Date(NOW))).toBe(false);
  });
});
