// The built emulator and a real client talking to it over 127.0.0.1, for the benchmark scripts
// (plain ESM over dist/, so `npm run build` must have run).
import { DEMO_CREDENTIAL, startEmulator } from '../../dist/emulator/index.js';
import { createAppstoreApi } from '../../dist/remote/index.js';

/** Short waits: the emulator answers at once, and the benchmarks measure requests, not back-off. */
export const BENCH_RETRY = { baseDelayMs: 1, maxDelayMs: 5, maxAttempts: 6, maxElapsedMs: 30_000 };
export const BENCH_ATTACH_POLL = { initialDelayMs: 5, maxDelayMs: 50, maxElapsedMs: 60_000 };

/** A fresh client (so a fresh token, as a new CLI process would have). */
export function connect(emulator, options = {}) {
  return createAppstoreApi({
    apiUrl: emulator.apiUrl,
    tokenUrl: emulator.tokenUrl,
    credentials: { ...DEMO_CREDENTIAL },
    retry: BENCH_RETRY,
    attachPoll: BENCH_ATTACH_POLL,
    ...options,
  });
}

export async function startSession(emulatorOptions = {}, clientOptions = {}) {
  const emulator = await startEmulator(emulatorOptions);
  const api = connect(emulator, clientOptions);
  return {
    emulator,
    api,
    close: async () => {
      api.close();
      await emulator.close();
    },
  };
}

/** What the CLI needs to talk to this emulator. */
export function cliEnv(emulator) {
  return {
    APPSTORE_API_URL: emulator.apiUrl,
    APPSTORE_TOKEN_URL: emulator.tokenUrl,
    AMAZON_APPSTORE_CLIENT_ID: DEMO_CREDENTIAL.clientId,
    AMAZON_APPSTORE_CLIENT_SECRET: DEMO_CREDENTIAL.clientSecret,
  };
}

/** The request log so far (call `emulator.store.clearRequests()` to start a phase), API and token requests apart. */
export function loggedRequests(emulator) {
  const entries = [...emulator.store.requests()];
  const api = entries.filter((e) => e.operation !== 'token');
  return {
    entries,
    api,
    tokens: entries.length - api.length,
    gets: entries.filter((e) => e.method === 'GET').length,
    count: entries.length,
    bytes: entries.reduce((sum, e) => sum + e.bytesIn, 0),
  };
}
