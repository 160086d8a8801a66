/**
 * Runs every measurement and prints the README's table: Lambda bundle size, cold initialisation, AWS API calls per
 * rotation by fleet size, and the 500-host demo's wall time and peak memory. Run: `npm run bench`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { SandboxAccount } from '../src/sandbox/account';
import { runRotation } from '../src/sandbox/rotation-driver';
import { formatPassTable, measureRetirementPasses } from './retirement-calls';
import { bundleFiles } from './bundle-files';
import { formatRotationTable, measureRotation, type RotationCalls } from './rotation-calls';

const root = join(__dirname, '..');

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

/** Wall milliseconds of a fresh `node -e script` for each script, median of `runs`, the scripts interleaved. */
function nodeStartMs(scripts: string[], runs: number, env: NodeJS.ProcessEnv): number[] {
  const times = scripts.map((): number[] => []);
  for (let i = 0; i < runs; i += 1) {
    scripts.forEach((script, k) => {
      const started = process.hrtime.bigint();
      execFileSync(process.execPath, ['-e', script], { env, stdio: 'ignore' });
      times[k]!.push(Number(process.hrtime.bigint() - started) / 1e6);
    });
  }
  return times.map(median);
}

interface BundleFigures {
  minified: number;
  gzipped: number;
  coldStartBytes: number;
  coldInitMs: number;
  bareNodeMs: number;
  floorMs: number;
  floorBytes: number;
  createSecretMs: number;
}

/** Bundles `entry` like the function (scripts/bundle.mjs) into `outdir`. */
function bundleInto(entry: string, outdir: string): void {
  execFileSync(process.execPath, [join(root, 'scripts/bundle.mjs'), '--entry', entry, '--outdir', outdir], {
    stdio: 'ignore',
  });
}

function bundle(): BundleFigures {
  const outdir = mkdtempSync(join(tmpdir(), 'ses-smtp-bench-'));
  // Beside the function's bundle, not inside it: bundleFiles() counts every file below its directory.
  const floorDir = mkdtempSync(join(tmpdir(), 'ses-smtp-bench-floor-'));
  try {
    bundleInto(join(root, 'src/handler.ts'), outdir);
    bundleInto(join(root, 'bench/cold-floor.ts'), floorDir);
    const files = bundleFiles(outdir);
    const keysChunk = files.all.find((f) => /[/\\]keys-[^/\\]+\.mjs$/.test(f));
    if (!keysChunk) throw new Error('the bundle has no keys chunk: the IAM adapter is no longer loaded on first use');
    const env = {
      PATH: process.env.PATH,
      AWS_REGION: 'eu-west-1',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    };
    const load = (...modules: string[]) =>
      modules.reduceRight((then, m) => `import(${JSON.stringify(m)}).then(() => ${then})`, '0');
    // What Lambda's init does: import the entry module (its static chunks come with it). createSecret then loads
    // the IAM chunk before its first IAM call.
    const [bareNodeMs, loadedMs, floorMs, createSecretMs] = nodeStartMs(
      [
        '',
        load(join(outdir, 'index.mjs')),
        load(join(floorDir, 'index.mjs')),
        load(join(outdir, 'index.mjs'), keysChunk),
      ],
      31,
      env,
    );
    const size = (list: string[]): number => list.reduce((sum, f) => sum + statSync(f).size, 0);
    return {
      minified: size(files.all),
      gzipped: gzipSync(Buffer.concat(files.all.map((f) => readFileSync(f)))).length,
      coldStartBytes: size(files.atColdStart),
      coldInitMs: loadedMs! - bareNodeMs!,
      bareNodeMs: bareNodeMs!,
      floorMs: floorMs! - bareNodeMs!,
      floorBytes: size(bundleFiles(floorDir).atColdStart),
      createSecretMs: createSecretMs! - bareNodeMs!,
    };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
    rmSync(floorDir, { recursive: true, force: true });
  }
}

/**
 * The 500-host demo in a fresh process, `runs` times (median of each figure: one run on a shared machine says
 * little): wall time of the rotation (as the demo reports it), the process's wall and CPU time (user + system, from
 * start to exit: less sensitive to a busy machine than wall time) and peak RSS.
 */
function demo500(runs: number): {
  demoSeconds: number;
  processSeconds: number;
  processCpuSeconds: number;
  peakRssMb: number;
  virtualSeconds: number;
  runs: number;
} {
  const script = `
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
    const { runDemo } = require(${JSON.stringify(join(root, 'dist/src/sandbox/demo.js'))});
    const t = Date.now();
    runDemo({ hosts: 500 }).then((r) => {
      const u = process.resourceUsage();
      process.stdout.write(JSON.stringify({ ok: r.ok, ms: Date.now() - t, virtual: r.virtualSeconds, rssKb: u.maxRSS, cpuUs: u.userCPUTime + u.systemCPUTime }));
    });`;
  const samples = Array.from({ length: runs }, () => {
    const started = process.hrtime.bigint();
    const out = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    const processSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    const r = JSON.parse(out.stdout) as { ok: boolean; ms: number; virtual: number; rssKb: number; cpuUs: number };
    if (!r.ok) throw new Error('the 500-host demo did not complete');
    return { ...r, processSeconds };
  });
  return {
    demoSeconds: median(samples.map((r) => r.ms)) / 1000,
    processSeconds: median(samples.map((r) => r.processSeconds)),
    processCpuSeconds: median(samples.map((r) => r.cpuUs)) / 1e6,
    peakRssMb: median(samples.map((r) => r.rssKb)) / 1024,
    virtualSeconds: samples[0]!.virtual,
    runs,
  };
}

/** A routine rotation of a 20,000-host sandbox fleet: wall and CPU time of the rotation alone (linear in hosts). */
async function bigFleet(hosts: number): Promise<{ seconds: number; cpuSeconds: number }> {
  const account = new SandboxAccount({ hosts, initialSecret: 'settings', hostDurationMs: 20_000 });
  try {
    const options = { handler: { probe: account.sesProbe() }, env: { FLEET_DELIVERY_TIMEOUT_SECONDS: '3600' } };
    const started = process.hrtime.bigint();
    const cpu = process.cpuUsage();
    if (!(await runRotation(account, options)).succeeded) throw new Error(`the ${hosts}-host rotation failed`);
    const used = process.cpuUsage(cpu);
    return { seconds: Number(process.hrtime.bigint() - started) / 1e9, cpuSeconds: (used.user + used.system) / 1e6 };
  } finally {
    account.restore();
  }
}

void (async () => {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
  const b = bundle();
  const rows: RotationCalls[] = [];
  for (const hosts of [1, 50, 500, 5000]) rows.push(await measureRotation(hosts));
  const d = demo500(9);
  const big = await bigFleet(20_000);
  const kb = (n: number) => `${(n / 1000).toFixed(0)} KB`;
  const lines = [
    `Measured ${new Date().toISOString().slice(0, 10)} on ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'CPU'}, Node ${process.version}.`,
    '',
    '| Measure | Result | Target |',
    '|---|---:|---:|',
    `| Lambda bundle, minified (every dependency bundled) | ${kb(b.minified)} | ≤ 560 KB |`,
    `| Lambda bundle, gzipped | ${kb(b.gzipped)} | |`,
    `| Loaded at a cold start (the entry and its static chunks; IAM, metrics, the SSM push, SNS and SMTP code load on first use) | ${kb(b.coldStartBytes)} | |`,
    `| Cold initialisation above a bare \`node\` start (median of 31) | ${b.coldInitMs.toFixed(0)} ms (bare node ${b.bareNodeMs.toFixed(0)} ms) | ≤ 30 ms |`,
    `| The floor: the Secrets Manager client alone, bundled the same way (${kb(b.floorBytes)}) | ${b.floorMs.toFixed(0)} ms | |`,
    `| createSecret's cold start: initialisation plus the IAM chunk it loads | ${b.createSecretMs.toFixed(0)} ms | |`,
    `| 500-host demo rotation, wall time (${d.virtualSeconds} s simulated; median of ${d.runs}) | ${d.demoSeconds.toFixed(2)} s (process ${d.processSeconds.toFixed(2)} s) | < 1 s beyond scripted waits |`,
    `| 500-host demo, process CPU time (user + system, start to exit; median of ${d.runs}) | ${d.processCpuSeconds.toFixed(2)} s | < 0.5 s |`,
    `| 20,000-host sandbox rotation (all four steps) | ${big.seconds.toFixed(2)} s (CPU ${big.cpuSeconds.toFixed(2)} s) | < 1 s |`,
    `| 500-host demo, peak RSS (median of ${d.runs}) | ${d.peakRssMb.toFixed(0)} MB | < 128 MB |`,
    '',
    'AWS API calls of one routine rotation (all four steps):',
    '',
    formatRotationTable(rows),
    '',
    'AWS API calls of one hourly retirement pass (target: ≤ 5 per secret when nothing is due):',
    '',
    formatPassTable(await measureRetirementPasses()),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
})();
