export interface SummaryTest { name: string; mode: string; state: string; error?: string; blockedBy?: string }
export interface SummaryFile { project: string; file: string; durationMs: number; fileError?: string; suiteErrors: { name: string; message: string }[]; tests: SummaryTest[] }
export interface Summary { files: SummaryFile[]; unhandledErrors: string[] }
export interface Tally { passed: number; failed: number; skipped: number; failures: string[]; skippedTests: string[]; optOuts: string[]; problems: string[]; ok: boolean }
export function tally(summary: Summary, env?: Record<string, string | undefined>): Tally;
export function timings(summary: Summary, top?: number): { perProject: { project: string; durationMs: number }[]; slowest: { project: string; file: string; durationMs: number }[] };
