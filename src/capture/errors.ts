/**
 * Bad capture files (truncated headers, impossible block lengths, unknown link types) end
 * here, so the CLI can print one clean line instead of a stack trace.
 */
export class CaptureError extends Error {
  override readonly name = 'CaptureError';
}
