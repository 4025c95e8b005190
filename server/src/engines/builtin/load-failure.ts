// node-llama-cpp reports a failed load as a bare "Failed to load model"; the reason is in the
// llama.cpp log lines printed just before. This pulls the telling part out of those lines.

const REASON_PATTERNS = [
  /error loading model:\s*(?:error loading model [^:]+:\s*)?(.+)$/i,
  /gguf_init_from_file[^:]*:\s*(.+)$/i,
];

export function loadFailureReason(errorLines: readonly string[], fallback: string): string {
  const reasons: string[] = [];
  for (const line of errorLines) {
    for (const pattern of REASON_PATTERNS) {
      const match = pattern.exec(line.trim());
      const reason = match?.[1]?.trim();
      if (reason) {
        if (!reasons.includes(reason)) reasons.push(reason);
        break;
      }
    }
  }
  return reasons.length > 0 ? reasons.join('; ') : fallback;
}
