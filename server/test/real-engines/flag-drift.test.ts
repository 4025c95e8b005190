// Version drift: every flag our launcher can pass to an engine must still be listed by that
// engine's real `--help` today. Flags the launcher already knows a version dropped (it reads the
// help and leaves them out) are listed per engine below; any other missing flag means an upgrade
// renamed or removed one, and this fails naming it. Engines that .venv/engines.json records as
// installed must be found and answer --help; those it records as missing say why.
import type { EngineKind } from '@mlx-manager/contract';
import { describe, expect, it } from 'vitest';
import { EngineDiscovery } from '../../src/engines/launchers/discover.js';
import { launcherFor } from '../../src/engines/launchers/index.js';
import type { EngineCaps } from '../../src/engines/launchers/types.js';
import { EVERY_FLAG_FIELD, makeProfile } from '../engines/helpers.js';
import { engineLabel, ifInstalled, readEnginesJson, VENV_BIN } from './setup.js';

/** A profile that sets every field a launcher can turn into a flag. */
const everyField = { ...EVERY_FLAG_FIELD, model: '/models/tiny' };

/** Flags the launcher knows are gone from the version installed here (it drops them after reading --help). */
const KNOWN_DROPPED: Partial<Record<EngineKind, readonly string[]>> = {
  'mlx-openai-server': ['--max-concurrency', '--message-converter'],
};

/** Every flag the launcher would pass if the engine accepted them all. */
function launcherVocabulary(kind: EngineKind): string[] {
  const acceptsAll = { has: () => true } as unknown as ReadonlySet<string>;
  const caps: EngineCaps = { executable: '/x', prefixArgs: [], version: null, flags: acceptsAll };
  const modelType = kind === 'llama-server' ? 'embeddings' : kind === 'vllm-mlx' ? 'multimodal' : 'lm';
  const flags = new Set<string>();
  for (const model_type of ['lm', modelType] as const) {
    const spec = launcherFor(kind).buildArgv(makeProfile({ engine: kind, ...everyField, model_type, extra_args: [] }), caps);
    for (const a of spec.args) if (a.startsWith('-')) flags.add(a);
  }
  return [...flags].sort();
}

const engines = readEnginesJson();
const kinds: EngineKind[] = ['mlx-lm', 'mlx-openai-server', 'vllm-mlx', 'llama-server'];

describe('launcher flags against each engine’s own --help', () => {
  it('the setup scripts recorded the engines (.venv/engines.json)', () => {
    expect(engines, 'run scripts/setup-test-env.sh').not.toBeNull();
  });

  for (const kind of kinds) {
    const label = engineLabel(kind, engines?.[kind]);
    const whenMissing = `${label}: nothing to compare`;
    ifInstalled(engines?.[kind], (entry) => {
      it(`${label}: every flag we pass is in its --help`, async () => {
        const found = await new EngineDiscovery({ venvBin: VENV_BIN, pathEnv: '' }).discover(launcherFor(kind), { executable: null, command: [] });
        if (!found.ok) throw new Error(`engines.json says ${kind} is installed, but: ${found.reason}`);
        expect(found.caps.version).toBe(entry.reportsVersion ?? entry.version);
        const help = found.caps.flags;
        expect(help?.size ?? 0, `${kind} --help could not be read`).toBeGreaterThan(5);
        const missing = launcherVocabulary(kind).filter((f) => !help?.has(f));
        expect(missing, `flags our launcher passes that ${kind} ${entry.version} no longer lists`).toEqual([...(KNOWN_DROPPED[kind] ?? [])]);
      }, 120_000);
    }, whenMissing);
  }
});
