import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { stepScript } from '../../src/documents/assemble';
import { readShippedDocument } from '../../src/documents/shipped';
import { describeWithPowerShell, runPwsh } from './harness/powershell';

const ROOT = join(__dirname, '..', '..');
const SKIP = new Set(['node_modules', '.git', 'dist', 'cdk.out', 'coverage']);

/** Every .ps1 file of the repository. */
function powershellFiles(dir = ROOT): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (SKIP.has(entry.name)) return [];
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return powershellFiles(path);
    return entry.name.endsWith('.ps1') ? [path] : [];
  });
}

interface FileReport {
  readonly file: string;
  readonly problems: readonly { line: number; message: string }[];
}

// Lint step: PowerShell's own parser reads every script; what Windows runs must also be Windows PowerShell 5.1 syntax.
describeWithPowerShell("every .ps1 file, read by PowerShell's parser", () => {
  it('parses without errors, and the Windows steps use no PowerShell 7-only syntax', async () => {
    // Prepare: the repository's files, plus each Windows step exactly as the shipped document holds it.
    const dir = mkdtempSync(join(tmpdir(), 'ses-smtp-rotation-ps-parse-'));
    try {
      const files = powershellFiles();
      const windows = files.filter((f) => relative(ROOT, f).startsWith('ssm-documents'));
      for (const step of readShippedDocument().mainSteps.filter((s) => s.action === 'aws:runPowerShellScript')) {
        const file = join(dir, `${step.name}.ps1`);
        writeFileSync(file, stepScript(step));
        windows.push(file);
      }
      const others = files.filter((f) => !windows.includes(f));
      // Act
      const run = await runPwsh([
        '-File',
        join(__dirname, 'iis', 'Test-PowerShellSyntax.ps1'),
        '-Path',
        others.join(','),
        '-WindowsPowerShell',
        windows.join(','),
      ]);
      // Assess
      expect(run.stderr).toBe('');
      const report = JSON.parse(run.stdout) as FileReport[];
      expect(report.map((r) => r.file).sort()).toEqual([...others, ...windows].sort());
      expect(files.length).toBeGreaterThanOrEqual(5);
      const problems = report.flatMap((r) =>
        r.problems.map((p) => `${relative(ROOT, r.file)}:${p.line}: ${p.message}`),
      );
      expect(problems).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('reports a parse error and PowerShell 7-only syntax when a file has them (the check can fail)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ses-smtp-rotation-ps-parse-'));
    try {
      const broken = join(dir, 'broken.ps1');
      const ps7 = join(dir, 'ps7.ps1');
      writeFileSync(broken, 'function f {\n  if ($x -eq 1) {\n}\n');
      writeFileSync(
        ps7,
        '$a = $b ?? 1\n$c = $a ? 1 : 2\nGet-Item x && Get-Item y\n$d = ${e}?.Name\n1..2 | ForEach-Object -Parallel { $_ }\n',
      );
      const run = await runPwsh([
        '-File',
        join(__dirname, 'iis', 'Test-PowerShellSyntax.ps1'),
        '-Path',
        broken,
        '-WindowsPowerShell',
        ps7,
      ]);
      const report = JSON.parse(run.stdout) as FileReport[];
      expect(report.find((r) => r.file === broken)?.problems.length).toBeGreaterThan(0);
      const lines = report.find((r) => r.file === ps7)?.problems.map((p) => p.line);
      expect(new Set(lines)).toEqual(new Set([1, 2, 3, 4, 5]));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
