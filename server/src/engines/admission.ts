// The machine-wide step every load passes before it enters its profile's queue: reserve the
// model's size and unload least-recently-used idle engines until it fits the memory budget. One
// load at a time, so two loads never both count the same free room (llama-swap's interleaved
// swaps). The choice itself is the pure chooseVictims; unloading runs on each victim's own queue.
import { chooseVictims, type LoadedModel } from './eviction-policy.js';
import type { LaunchProfile } from './launchers/types.js';

export interface AdmissionDeps {
  /** Bytes the engines may hold together, read per load; null = no limit. */
  budgetBytes: () => number | null;
  /** Model size on disk; null when unknown (not counted). */
  modelSize: (profile: LaunchProfile) => Promise<number | null>;
  /** What holds memory now, except the profile being admitted (its reservation included). */
  loaded: (exceptProfileId: string) => LoadedModel[];
  /** Unloads an idle engine on its queue; false when it became busy before its turn. */
  evict: (profileId: string, forProfile: LaunchProfile) => Promise<boolean>;
}

export interface Admitted {
  /** Bytes to count for this engine while it is loaded (0 without a budget or a known size). */
  sizeBytes: number;
  /** Set when the model could not be made to fit: the load goes on, and says so. */
  warning: string | null;
}

/** Re-plans when a chosen victim became busy before its turn; bounded. */
const MAX_ROUNDS = 3;

export class Admission {
  private chain: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: AdmissionDeps) {}

  /**
   * Serially: measure the model, call `reserve` with its size (the caller counts it as loaded
   * and busy from now on, so the next admission sees it), then unload what the plan says.
   */
  admit(profile: LaunchProfile, reserve: (sizeBytes: number) => void): Promise<Admitted> {
    const next = this.chain.then(() => this.run(profile, reserve));
    this.chain = next.catch(() => undefined);
    return next;
  }

  private async run(profile: LaunchProfile, reserve: (sizeBytes: number) => void): Promise<Admitted> {
    const budget = this.deps.budgetBytes();
    if (budget === null) return { sizeBytes: 0, warning: null };
    const size = (await this.deps.modelSize(profile).catch(() => null)) ?? 0;
    reserve(size);
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const plan = chooseVictims(budget, this.deps.loaded(profile.id), size);
      if (!plan.fits) {
        const warning = `the model (${gib(size)}) does not fit in the memory budget (${gib(budget)}) even after unloading every idle engine; loading anyway (engines with requests in flight are never unloaded)`;
        return { sizeBytes: size, warning };
      }
      if (plan.victims.length === 0) break;
      const done = await Promise.all(plan.victims.map((id) => this.deps.evict(id, profile)));
      if (done.every(Boolean)) break;
    }
    return { sizeBytes: size, warning: null };
  }
}

function gib(bytes: number): string {
  return `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
}
