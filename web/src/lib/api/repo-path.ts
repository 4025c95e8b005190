/** `org/name` → `org/name` with each part URL-encoded (the slash stays a path separator). */
export function repoPath(repoId: string): string {
  return repoId.split('/').map(encodeURIComponent).join('/');
}
