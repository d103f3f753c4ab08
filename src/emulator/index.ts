// A local, stateful emulator of Amazon's App Submission API and the Login-with-Amazon token endpoint
// (DESIGN.md decision 4; behaviour in README.md beside this file).
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  FaultInjector,
  type FaultInjector as FaultInjectorType,
  type FaultRule,
  parseFaultSpec,
} from './faults.js';
import { DEFAULT_CHECKS, DEFAULT_RULES, type EmulatorConfig, type EmulatorOptions } from './options.js';
import { TOKEN_PATH } from './routes/token.js';
import { DEMO_CREDENTIAL, loadSeedFile, type SeedFile } from './seed.js';
import { ADMIN_PREFIX, API_PREFIX, createEmulatorServer } from './server.js';
import { EmulatorStore } from './store.js';

export { type CatalogueDevice, CHECKED_FEATURES, DEVICE_CATALOGUE, findDevice } from './devices.js';
export type { EtagMode } from './etags.js';
export { type FaultKind, type FaultRule, FaultSpecError, parseFaultSpec } from './faults.js';
export type {
  ApkRecord,
  AppRecord,
  AppState,
  AssetRecord,
  EditRecord,
  ListingRecord,
  LocaleKeyStyle,
  Snapshot,
} from './model.js';
export {
  DEFAULT_CHECKS,
  DEFAULT_RULES,
  type EmulatorOptions,
  type ListingLimits,
  type UploadChecks,
  type ValidationRules,
} from './options.js';
export { VERSION_CODE_HEADER } from './routes/apk-intake.js';
export { APPSTORE_SCOPE } from './routes/token.js';
export {
  DEMO_CREDENTIAL,
  type DumpedApp,
  type EmulatorDump,
  loadSeedFile,
  type SeedApk,
  type SeedApp,
  type SeedCredential,
  type SeedEdit,
  type SeedFile,
  type SeedListing,
  type SeedSnapshot,
  validateSeed,
} from './seed.js';
export type { EmulatorStore, RequestLogEntry } from './store.js';

export interface RunningEmulator {
  /** Base URL of the API, like Amazon's `https://developer.amazon.com/api/appstore`. */
  apiUrl: string;
  /** The token endpoint, like `https://api.amazon.com/auth/o2/token`. */
  tokenUrl: string;
  /** Base URL of the admin endpoints (`…/__emulator`). */
  adminUrl: string;
  store: EmulatorStore;
  /** Where APK bytes sit while they are parsed (each file is deleted right after). */
  tmpDir: string;
  /** Replaces the fault rules (a spec string or parsed rules); counters restart. */
  setFaults(faults: string | FaultRule[], seed?: number): void;
  /** Stops the server and destroys every open connection; removes the temp folder. */
  close(): Promise<void>;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const seed: SeedFile =
    options.seed ??
    (options.seedFile === undefined
      ? { credentials: [{ ...DEMO_CREDENTIAL }], apps: [] }
      : await loadSeedFile(options.seedFile));
  const store = new EmulatorStore(seed, {
    etagMode: options.etagMode ?? 'hierarchical',
    tokenTtlSeconds: options.tokenTtlSeconds ?? 3600,
    clock: options.clock ?? Date.now,
    idSeed: options.idSeed ?? 'appstore-emulator',
  });
  const toRules = (faults: string | FaultRule[]): FaultRule[] =>
    typeof faults === 'string' ? parseFaultSpec(faults) : faults;
  const faults: FaultInjectorType = new FaultInjector(toRules(options.faults ?? []), options.faultSeed ?? 1);
  const tmpDir = await mkdtemp(join(tmpdir(), 'appstore-emulator-'));
  const config: EmulatorConfig = {
    largeUploadReadyAfterMs: options.largeUploadReadyAfterMs ?? 1000,
    previousEditReadable: options.previousEditReadable ?? true,
    rules: { ...DEFAULT_RULES, ...options.rules },
    checks: { ...DEFAULT_CHECKS, ...options.checks },
    listingLimits: { ...options.listingLimits },
    localeKeyStyle: options.localeKeyStyle ?? 'hyphen',
    allowVersionCodeHeader: options.allowVersionCodeHeader ?? true,
    tmpDir,
  };
  let emulator: ReturnType<typeof createEmulatorServer>;
  try {
    emulator = createEmulatorServer(store, config, faults);
  } catch (error) {
    await rm(tmpDir, { recursive: true, force: true });
    throw error;
  }
  const host = options.host ?? '127.0.0.1';
  try {
    await new Promise<void>((resolve, reject) => {
      emulator.server.once('error', reject);
      emulator.server.listen(options.port ?? 0, host, () => {
        emulator.server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    await rm(tmpDir, { recursive: true, force: true });
    throw error;
  }
  const { port } = emulator.server.address() as AddressInfo;
  const origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    apiUrl: `${origin}${API_PREFIX}`,
    tokenUrl: `${origin}${TOKEN_PATH}`,
    adminUrl: `${origin}${ADMIN_PREFIX}`,
    store,
    tmpDir,
    setFaults: (spec, faultSeed) => faults.replace(toRules(spec), faultSeed),
    close: async () => {
      await emulator.close();
      await rm(tmpDir, { recursive: true, force: true });
    },
  };
}
