import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import type { MtaUnderTest } from './mta-contract';
import { type MtaInstance, submit } from './mta-instance';

/** The Postfix map types the document supports and these tests exercise. */
export type MapType = 'hash' | 'lmdb';

/**
 * A throw-away Postfix: its own config, queue and data directories under a temp dir, loopback only, no chroot,
 * logging to a file through postlogd. The machine's own /etc/postfix configuration is never read or written.
 * As an {@link MtaInstance} its credential file is the smtp_sasl_password_maps source (writing it builds the map
 * and reloads a running Postfix), and the step finds it through MAIL_CONFIG.
 */
export interface PostfixInstance extends MtaInstance {
  readonly configDir: string;
  readonly mapType: MapType;
  /** relayhost, e.g. `[localhost]:40123`: also the map's lookup key. */
  readonly relayhost: string;
  /** The mail log so far (for diagnostics when a test fails). */
  maillog(): string;
}

/** Why a real Postfix cannot run here, or undefined when it can. */
export function postfixUnavailableReason(): string | undefined {
  if (userInfo().uid !== 0) return 'the Postfix document tests need root (Postfix starts its master as root)';
  for (const tool of ['/usr/sbin/postfix', '/usr/sbin/postconf', '/usr/sbin/postmap']) {
    if (!existsSync(tool)) return `${tool} is missing: run scripts/install-test-peers.sh as root`;
  }
  return undefined;
}

/** Whether Postfix on this machine can open lmdb maps (Debian's postfix-lmdb). */
export function lmdbAvailable(): boolean {
  // postconf needs a main.cf; the machine has none ("No configuration"), so ask with an empty one.
  const dir = mkdtempSync(join(tmpdir(), 'ses-smtp-rotation-postconf-'));
  try {
    writeFileSync(join(dir, 'main.cf'), '');
    const types = execFileSync('/usr/sbin/postconf', ['-c', dir, '-m'], { encoding: 'utf8', stdio: 'pipe' });
    return types.split('\n').includes('lmdb');
  } catch {
    return false;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** An unused loopback port (bound and released: good enough for a test on one machine). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const MASTER_CF = `# service type private unpriv chroot wakeup maxproc command
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
tlsmgr    unix  -       -       n       1000?   1       tlsmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
`;

/** Creates (but does not start) an instance relaying to `[relayHostName]:relayPort` with SASL and STARTTLS. */
export async function createPostfixInstance(options: {
  readonly relayPort: number;
  readonly caPem: string;
  readonly mapType: MapType;
  readonly relayHostName?: string;
}): Promise<PostfixInstance> {
  const dir = mkdtempSync(join(tmpdir(), 'ses-smtp-rotation-postfix-'));
  chmodSync(dir, 0o755); // Postfix daemons (user postfix) walk into queue_directory.
  const configDir = join(dir, 'etc');
  const queueDir = join(dir, 'queue');
  const dataDir = join(dir, 'data');
  for (const d of [configDir, queueDir, dataDir]) mkdirSync(d, { mode: 0o755 });
  const postfixUid = Number(execFileSync('id', ['-u', 'postfix'], { encoding: 'utf8' }).trim());
  chownSync(dataDir, postfixUid, -1);
  const mapPath = join(configDir, 'sasl_passwd');
  const relayhost = `[${options.relayHostName ?? 'localhost'}]:${options.relayPort}`;
  const smtpPort = await freePort();
  writeFileSync(join(configDir, 'ca.pem'), options.caPem);
  writeFileSync(
    join(configDir, 'main.cf'),
    [
      'compatibility_level = 3.6',
      `queue_directory = ${queueDir}`,
      `data_directory = ${dataDir}`,
      'myhostname = mail.document-test.invalid',
      'mydomain = document-test.invalid',
      'myorigin = $myhostname',
      'mydestination =',
      'inet_interfaces = 127.0.0.1',
      'inet_protocols = ipv4',
      'mynetworks = 127.0.0.0/8',
      'alias_maps =',
      'alias_database =',
      'local_transport = error:local delivery is disabled',
      `relayhost = ${relayhost}`,
      'smtp_sasl_auth_enable = yes',
      'smtp_sasl_security_options = noanonymous',
      `smtp_sasl_password_maps = ${options.mapType}:${mapPath}`,
      'smtp_tls_security_level = secure',
      'smtp_tls_secure_cert_match = nexthop',
      `smtp_tls_CAfile = ${join(configDir, 'ca.pem')}`,
      'smtp_host_lookup = native',
      `maillog_file = ${join(dir, 'maillog')}`,
      `maillog_file_prefixes = ${dir}`,
      // Retry deferred mail quickly: the rollback tests expect mail to flow again within seconds.
      'minimal_backoff_time = 1s',
      'maximal_backoff_time = 2s',
      'queue_run_delay = 1s',
      '',
    ].join('\n'),
  );
  writeFileSync(join(configDir, 'master.cf'), `127.0.0.1:${smtpPort} inet n - n - - smtpd\n${MASTER_CF}`);
  const env = {
    PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    LANG: 'C',
    MAIL_CONFIG: configDir,
  };
  const run = (command: string, args: string[]): string =>
    execFileSync(command, args, { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const running = (): boolean => {
    try {
      run('postfix', ['status']);
      return true;
    } catch {
      return false;
    }
  };
  return {
    dir,
    configDir,
    credentialFile: mapPath,
    mapType: options.mapType,
    relayhost,
    parameters: { Mta: 'postfix' },
    binDirs: ['/usr/sbin'],
    wrap: [],
    environment: { MAIL_CONFIG: configDir },
    writeCredentials(text: string) {
      for (const suffix of ['', '.db', '.lmdb']) rmSync(mapPath + suffix, { force: true });
      writeFileSync(mapPath, text, { mode: 0o600 });
      run('postmap', [`${options.mapType}:${mapPath}`]);
      if (running()) run('postfix', ['reload']);
    },
    lookup() {
      try {
        return run('postmap', ['-q', relayhost, `${options.mapType}:${mapPath}`]).trim();
      } catch {
        return undefined;
      }
    },
    send: (subject: string) => submit('127.0.0.1', smtpPort, subject),
    maillog: () => (existsSync(join(dir, 'maillog')) ? readFileSync(join(dir, 'maillog'), 'utf8') : ''),
    start() {
      run('postfix', ['start']);
    },
    stop() {
      if (running()) run('postfix', ['stop']);
    },
    running,
    destroy() {
      try {
        if (running()) run('postfix', ['stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** What the update contract expects of Postfix with a `mapType` map (see mta-contract.ts). */
export function postfixUnderTest(mapType: MapType): MtaUnderTest<PostfixInstance> {
  return {
    mta: 'postfix',
    name: 'Postfix',
    relayName: 'localhost',
    create: (relay) => createPostfixInstance({ relayPort: relay.port, caPem: relay.caPem, mapType }),
    // A map as administrators keep it: a comment, other relays, a continuation line.
    credentialText: (cred, pf) =>
      [
        '# SES relay credentials (managed by ses-smtp-rotation)',
        '[backup.example.net]:587\tbackupuser:backup-password',
        `${pf.relayhost} ${cred.user}:${cred.pass}`,
        '[other.example.net] otheruser:',
        '    other-password-continued',
        '',
      ].join('\n'),
    installedAt: (s) => `relayhost=${s.mta.relayhost} map=${mapType}`,
    reload: { running: 'done', stopped: 'not-running' },
    installedFiles: ['sasl_passwd', `sasl_passwd.${mapType === 'hash' ? 'db' : 'lmdb'}`],
    fileMode: 0o600,
    indexFile: (pf) => `${pf.credentialFile}.${mapType === 'hash' ? 'db' : 'lmdb'}`,
    probe: 'postconf',
    failingMv: 2, // the source, after the map: half-way through the pair
  };
}
