import { z } from 'zod';

const FAULT_KINDS = ['429', '500', '502', 'timeout', 'reset', 'latency'] as const;
type FaultKind = (typeof FAULT_KINDS)[number];

export const faultSchema = z.object({
  rate: z.number().min(0).max(1),
  kinds: z.array(z.enum(FAULT_KINDS)).min(1),
  /** Path prefixes to affect, e.g. `/crm/v3/objects/contacts`; all API paths when absent. */
  paths: z.array(z.string().startsWith('/')).optional(),
  latencyMs: z.number().int().min(0).max(120_000).default(200),
  /** How long a `timeout` holds the request before dropping it. */
  timeoutMs: z.number().int().min(0).max(300_000).default(30_000),
});
type FaultConfig = z.infer<typeof faultSchema>;

/** A small seeded PRNG (mulberry32): faults are reproducible for a given seed. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Injected faults: which request fails, and how. */
export class Faults {
  private config: FaultConfig | null = null;
  private random: () => number;
  injected = 0;

  constructor(seed: number) {
    this.random = mulberry32(seed);
  }

  set(config: FaultConfig, seed?: number): void {
    this.config = config;
    if (seed !== undefined) this.random = mulberry32(seed);
  }

  clear(): void {
    this.config = null;
  }

  current(): FaultConfig | null {
    return this.config;
  }

  pick(path: string): { kind: FaultKind; config: FaultConfig } | null {
    const c = this.config;
    if (!c || c.rate === 0) return null;
    if (c.paths && !c.paths.some((p) => path.startsWith(p))) return null;
    if (this.random() >= c.rate) return null;
    this.injected++;
    const kind = c.kinds[Math.floor(this.random() * c.kinds.length)]!;
    return { kind, config: c };
  }
}
