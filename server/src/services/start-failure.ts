// A failed start in a few words a person acts on ("model file not found", "port in use",
// "engine not installed"), read from the supervisor's reason and the engine's last log lines,
// so the tile leads with the cause rather than "exited with code 1". Pure.
import { engineNamedIn, installHint } from './engine-install.js';

export interface FailureCause {
  cause: string;
  hint: string | null;
}

/** Log-line patterns, most telling first: the first match names the cause. */
const LOG_CAUSES: ReadonlyArray<[RegExp, FailureCause]> = [
  [/model file not found|no such file or directory|FileNotFoundError|ENOENT|failed to open .*\.gguf|does not appear to have a file named/i, { cause: 'model file not found', hint: 'check the model and its file in the profile; download the model if it is not on this machine' }],
  [/address already in use|EADDRINUSE|Errno 98|Errno 48|bind.*failed|couldn't bind/i, { cause: 'port in use', hint: 'another program listens on the profile’s port: stop it or give the profile another port' }],
  [/ModuleNotFoundError|No module named|ImportError/, { cause: 'engine not installed correctly', hint: 'a Python module the engine needs is missing: run `bash scripts/setup-python.sh` again' }],
  [/out of memory|Cannot allocate memory|std::bad_alloc|MemoryError|\bOOM\b/i, { cause: 'out of memory', hint: 'pick a smaller quantization or stop other models first' }],
  [/RepositoryNotFoundError|Repository Not Found|401 Client Error|gated repo/i, { cause: 'model not available', hint: 'the model is not downloaded and the engine could not fetch it: download it on the Models page' }],
  [/unknown model architecture|unsupported model|not supported|invalid magic|not a valid GGUF|failed to load model|error loading model/i, { cause: 'model could not be loaded', hint: 'this engine cannot load this model (format or architecture): try another engine or file' }],
  [/unrecognized arguments|unknown argument|invalid choice|error: argument/i, { cause: 'engine refused its arguments', hint: 'check the extra arguments, or update the engine' }],
];

/**
 * The cause of a failed start, or null when there is no failure. `error` is the supervisor's
 * message, `logLines` the engine's last lines; unknown failures keep the message as the cause.
 */
export function startFailureCause(error: string | null, logLines: readonly string[] | null): FailureCause | null {
  if (error === null) return null;
  if (/ not found (in the project venv or on PATH|at )|engine script .* is missing/.test(error)) {
    const engine = engineNamedIn(error);
    return { cause: 'engine not installed', hint: engine ? `to install it, ${installHint(engine)}` : null };
  }
  if (/^model not downloaded/.test(error)) return { cause: 'model not downloaded', hint: 'download it on the Models page, then start again' };
  if (/^model file not found|^choose the model file/.test(error)) return { cause: error.startsWith('choose') ? 'model file not chosen' : 'model file not found', hint: 'edit the profile and pick a file found on disk' };
  if (/^port \d+ .*(in use|used by)/.test(error)) return { cause: 'port in use', hint: 'stop what uses the port or give the profile another port' };
  if (/did not answer within/.test(error)) {
    const fromLog = logCause(logLines);
    return fromLog ?? { cause: 'start timed out', hint: 'a large model may need a longer start timeout (profile → Advanced)' };
  }
  if (/^could not run /.test(error)) return { cause: 'engine could not be run', hint: null };
  return logCause(logLines) ?? { cause: error, hint: null };
}

function logCause(lines: readonly string[] | null): FailureCause | null {
  const text = (lines ?? []).join('\n');
  return LOG_CAUSES.find(([re]) => re.test(text))?.[1] ?? null;
}
