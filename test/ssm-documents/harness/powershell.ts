import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { describeWhenAvailable } from './peers';

/** The PowerShell and Pester versions the tests were written for (scripts/install-powershell.sh installs them). */
export const PWSH_VERSION = '7.6';
export const PESTER_VERSION = '6.2.0';

/** The pwsh executable: on PATH, or where `dotnet tool install --global` puts it. */
export function findPwsh(): string | undefined {
  const candidates = [
    ...(process.env.PATH ?? '').split(delimiter).map((dir) => join(dir, 'pwsh')),
    join(homedir(), '.dotnet', 'tools', 'pwsh'),
  ];
  return candidates.find((file) => existsSync(file));
}

let cachedReason: string | undefined | null = null;

/** Why the PowerShell tests cannot run here, or undefined when pwsh 7.6 and Pester 6.2.0 are both there. */
export function powershellUnavailableReason(): string | undefined {
  if (cachedReason !== null) return cachedReason;
  const pwsh = findPwsh();
  if (!pwsh) {
    cachedReason = 'pwsh (PowerShell 7.6) is not installed: run scripts/install-powershell.sh as root';
    return cachedReason;
  }
  const probe = spawnSync(
    pwsh,
    [
      '-NoProfile',
      '-NonInteractive',
      '-Command',
      `$ErrorActionPreference = 'Stop'; Import-Module Pester -RequiredVersion ${PESTER_VERSION}; $PSVersionTable.PSVersion.ToString()`,
    ],
    { encoding: 'utf8', timeout: 60_000, env: pwshEnv() },
  );
  const version = probe.stdout?.trim() ?? '';
  if (probe.status !== 0) {
    cachedReason = `Pester ${PESTER_VERSION} cannot be loaded by ${pwsh}: run scripts/install-powershell.sh as root`;
  } else if (!version.startsWith(`${PWSH_VERSION}.`)) {
    cachedReason = `${pwsh} is PowerShell ${version}, the tests need ${PWSH_VERSION}.x: run scripts/install-powershell.sh`;
  } else {
    cachedReason = undefined;
  }
  return cachedReason;
}

/** The environment for pwsh: no telemetry, no update check, plus `extra`. */
export function pwshEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    POWERSHELL_TELEMETRY_OPTOUT: '1',
    POWERSHELL_UPDATECHECK: 'Off',
    DOTNET_CLI_TELEMETRY_OPTOUT: '1',
    ...extra,
  };
}

/** What one pwsh process printed and how it ended. */
export interface PwshRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs pwsh with `args` (no profile, non-interactive, no stdin) and collects its output. */
export async function runPwsh(args: readonly string[], env: NodeJS.ProcessEnv = pwshEnv()): Promise<PwshRun> {
  const pwsh = findPwsh();
  if (!pwsh) throw new Error('pwsh is not installed');
  return new Promise<PwshRun>((resolve, reject) => {
    const child = spawn(pwsh, ['-NoProfile', '-NonInteractive', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }),
    );
  });
}

/** `describe` for tests that need PowerShell 7.6 with Pester (see {@link describeWhenAvailable}). */
export function describeWithPowerShell(name: string, body: () => void): void {
  describeWhenAvailable('PowerShell and Pester', powershellUnavailableReason(), name, body);
}
