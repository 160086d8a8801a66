'use strict';
/**
 * Prints one plain closing line, "tests: N passed, N failed, N skipped", that tools reading test logs recognise
 * whatever the runner (jest's own summary is formatted differently).
 */
class SummaryReporter {
  onRunComplete(_contexts, results) {
    process.stdout.write(
      `tests: ${results.numPassedTests} passed, ${results.numFailedTests} failed, ${results.numPendingTests} skipped\n`,
    );
  }
}
module.exports = SummaryReporter;
