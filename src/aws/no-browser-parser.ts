/**
 * Stands in for `bowser` (browser user-agent parsing) in the Lambda bundle. The SDK reaches it through an
 * `import()` only when it builds a browser's user agent, never in Node; bundled as an ES module it would otherwise
 * ship as a 37 KB chunk. With nothing to parse, the SDK's own fallback applies (`os/other`, `md/browser unknown`).
 */
export function parse(): undefined {
  return undefined;
}
