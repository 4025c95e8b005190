// Unit tests run without SvelteKit: `$app/paths` stands for an app served at the site root,
// where `resolve(path)` is the path itself.
export function resolve(path: string): string {
  return path;
}
