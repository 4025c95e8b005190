// What a profile's engine loads, decided at each start: a GGUF engine given a repo id gets the
// path of its file in the snapshot `refs/main` points at now (so a model updated since the
// profile was saved is found at its new commit). See docs/model-files.md.
import { isAbsolute } from 'node:path';
import { isGgufEngine, type Profile } from '@mlx-manager/contract';
import { ModelFileError, resolveModelFile } from '../hub/model-file.js';
import { AppError } from './errors.js';

/** The profile with `model` as the engine must see it; other profiles are returned as they are. */
export async function resolveProfileModel(p: Profile, cacheDir: string): Promise<Profile> {
  if (!isGgufEngine(p.engine) || isAbsolute(p.model)) return p;
  try {
    return { ...p, model: await resolveModelFile(cacheDir, p.model, p.model_file) };
  } catch (err) {
    if (!(err instanceof ModelFileError)) throw err;
    throw new AppError('conflict', `Profile "${p.name}" cannot start: ${err.message}`, {
      reason: err.reason === 'not_downloaded' ? 'model_not_downloaded' : err.reason === 'choose_file' ? 'model_file_not_chosen' : 'model_file_not_found',
      repo: err.repo,
      available: err.available,
    });
  }
}
