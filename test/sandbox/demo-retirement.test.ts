import { runDemo } from '../../src/sandbox/demo';

describe('demo retirement act', () => {
  it('shows the staged lifecycle in virtual time: promotion → deactivation → deletion', async () => {
    // Act
    const lines: string[] = [];
    const report = await runDemo({ hosts: 2, lifecycle: true, print: (l) => lines.push(l) });

    // Assess
    expect(report.ok).toBe(true);
    expect(report.retirement).toMatchObject({ held: false, keysOnUser: 1, ok: true });
    const text = lines.join('\n');
    expect(text).toMatch(
      /\+1 h: retirement pass → wait[\s\S]*\+24 h: retirement pass → deactivate[\s\S]*\+8 days: retirement pass → delete/,
    );
  });

  it('--stray-consumer: held with an alert, breaks at deactivation, --reactivate rolls back, --now deletes', async () => {
    const lines: string[] = [];
    const report = await runDemo({ hosts: 2, strayConsumer: true, print: (l) => lines.push(l) });

    expect(report.ok).toBe(true);
    expect(report.retirement).toEqual({
      held: true,
      strayBrokeAtDeactivation: true,
      reactivatedWorks: true,
      keysOnUser: 1,
      ok: true,
    });
    const text = lines.join('\n');
    expect(text).toContain('ALERT (SNS): ACTION NEEDED: old SES SMTP key still in use');
    expect(text).toContain('was deleted at once by an operator (retire --now)');
  });
});
