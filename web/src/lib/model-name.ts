/**
 * How a card names a model: a repo id stays as is; a path inside the Hugging Face cache
 * (`…/models--org--name/snapshots/<revision>/file.gguf`) becomes `org/name · file.gguf`; any
 * other absolute path shows its file name. The full value stays available as a tooltip.
 */
export function displayModel(model: string): string {
  const parts = model.split(/[\\/]/).filter((part) => part !== '');
  const repoAt = parts.findIndex((part) => part.startsWith('models--'));
  if (repoAt >= 0) {
    const repo = parts[repoAt]!.slice('models--'.length).split('--').join('/');
    // After the repo folder: `snapshots`, the revision, then the file's path inside the repo.
    const file = parts.slice(repoAt + 3).join('/');
    return file ? `${repo} · ${file}` : repo;
  }
  const absolute = model.startsWith('/') || model.startsWith('~') || /^[A-Za-z]:[\\/]/.test(model);
  return absolute ? (parts.at(-1) ?? model) : model;
}
