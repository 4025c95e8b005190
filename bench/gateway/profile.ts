// Summary of a V8 CPU profile for the report: where the proxy's time goes (pure).

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
}

export interface ProfileSummary {
  samples: number;
  /** Share of samples in each function itself, highest first. */
  self: { name: string; share: number }[];
  /** Share of samples with a frame of each module on the stack, highest first. */
  modules: { name: string; share: number }[];
}

/** `node_modules/<pkg>` (scoped too), a path relative to `root`, or a node: builtin. */
function moduleOf(url: string, root: string): string {
  const path = url.replace(/^file:\/\//, '');
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  if (nm) return nm[1]!;
  return path.startsWith(root) ? path.slice(root.length) : path || '(native)';
}

export function summarizeProfile(profile: CpuProfile, root: string, top = 15): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const hits = new Map<number, number>();
  for (const s of profile.samples) hits.set(s, (hits.get(s) ?? 0) + 1);
  const self = new Map<string, number>();
  const modules = new Map<string, number>();
  for (const [id, count] of hits) {
    const node = byId.get(id)!;
    const f = node.callFrame;
    const name = f.url ? `${f.functionName || '(anonymous)'} ${moduleOf(f.url, root)}:${f.lineNumber + 1}` : f.functionName;
    self.set(name, (self.get(name) ?? 0) + count);
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const url = byId.get(cur)!.callFrame.url;
      if (!url) continue;
      const m = moduleOf(url, root);
      if (!seen.has(m)) {
        seen.add(m);
        modules.set(m, (modules.get(m) ?? 0) + count);
      }
    }
  }
  const total = profile.samples.length || 1;
  const rank = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).slice(0, top).map(([name, n]) => ({ name, share: n / total }));
  return { samples: profile.samples.length, self: rank(self), modules: rank(modules) };
}
