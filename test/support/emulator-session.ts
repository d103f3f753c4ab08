// One emulator and one real client talking to it over 127.0.0.1, as every end-to-end test needs.
import {
  DEMO_CREDENTIAL,
  type EmulatorOptions,
  type RunningEmulator,
  startEmulator,
} from '../../src/emulator/index.js';
import { type AppstoreApi, createAppstoreApi } from '../../src/remote/index.js';

export interface EmulatorSession {
  emulator: RunningEmulator;
  api: AppstoreApi;
  env: Record<string, string>;
  close: () => Promise<void>;
}

/** Retries with tiny delays, so fault tests exercise the retry path without waiting. */
export const FAST_RETRY = { baseDelayMs: 1, maxDelayMs: 5, maxAttempts: 6, maxElapsedMs: 10_000 };

export async function startSession(options: EmulatorOptions = {}): Promise<EmulatorSession> {
  const emulator = await startEmulator(options);
  const api = createAppstoreApi({
    apiUrl: emulator.apiUrl,
    tokenUrl: emulator.tokenUrl,
    credentials: { ...DEMO_CREDENTIAL },
    retry: FAST_RETRY,
    attachPoll: { initialDelayMs: 5, maxDelayMs: 20, maxElapsedMs: 5_000 },
  });
  return {
    emulator,
    api,
    env: {
      APPSTORE_API_URL: emulator.apiUrl,
      APPSTORE_TOKEN_URL: emulator.tokenUrl,
      AMAZON_APPSTORE_CLIENT_ID: DEMO_CREDENTIAL.clientId,
      AMAZON_APPSTORE_CLIENT_SECRET: DEMO_CREDENTIAL.clientSecret,
    },
    close: async () => {
      api.close();
      await emulator.close();
    },
  };
}
