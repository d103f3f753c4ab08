// Types of soak.js for the TypeScript test that runs it (test/soak/soak.test.ts).
import type { apply } from '../../src/apply/executor.js';
import type { DEMO_CREDENTIAL, DEVICE_CATALOGUE, startEmulator } from '../../src/emulator/index.js';
import type { makePlan } from '../../src/engine/make-plan.js';
import type { loadManifest } from '../../src/manifest/index.js';
import type { createAppstoreApi } from '../../src/remote/index.js';
import type { renderPlanHuman } from '../../src/render/plan-human.js';

/** The engine under test: the built one (bench) or the sources (test). */
export interface SoakLib {
  apply: typeof apply;
  DEMO_CREDENTIAL: typeof DEMO_CREDENTIAL;
  DEVICE_CATALOGUE: typeof DEVICE_CATALOGUE;
  startEmulator: typeof startEmulator;
  makePlan: typeof makePlan;
  loadManifest: typeof loadManifest;
  createAppstoreApi: typeof createAppstoreApi;
  renderPlanHuman: typeof renderPlanHuman;
}

export interface SoakProblem {
  run: number;
  kind: string;
  detail: string;
}

export interface SoakRunOutcome {
  run: number;
  applies: number;
  converged: boolean;
  duplicates: string[];
  mismatches: string[];
  failures: string[];
  spurious: string[];
  errors: string[];
  console:
    | { address: string; verdict: 'refused' | 'not-reached' | 'overwritten'; detail?: string }
    | undefined;
  faultsFired: Record<string, number>;
  writeFaults: Record<string, number>;
  requests: number;
}

export interface SoakReport {
  seed: number;
  runs: number;
  converged: number;
  duplicates: number;
  overwrites: number;
  mismatches: number;
  errors: number;
  spuriousConflicts: number;
  spuriousRuns: number[];
  needsCleanApply: number;
  console: { injected: number; refused: number; notReached: number; overwritten: number };
  /** Applies per run → number of runs. */
  applies: Record<string, number>;
  /** Failure message → times. */
  failures: Record<string, number>;
  faultsFired: Record<string, number>;
  writeFaults: Record<string, number>;
  requests: number;
  problems: SoakProblem[];
}

export const DEFAULT_SOAK_SEED: number;
export const MAX_APPLIES: number;

export function runSoak(options: {
  lib: SoakLib;
  runs: number;
  seed?: number;
  only?: number;
  onRun?: (outcome: SoakRunOutcome, world: unknown) => void;
}): Promise<SoakReport>;
