// Shared set-up for the client tests: the real emulator on 127.0.0.1, a client with tiny, recorded
// retry delays, and files of any size built from the project's fixtures.
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import {
  DEMO_CREDENTIAL,
  type EmulatorOptions,
  type RunningEmulator,
  startEmulator,
} from '../../src/emulator/index.js';
import type { SeedFile } from '../../src/emulator/seed.js';
import { type AppstoreApi, type ClientOptions, createAppstoreApi } from '../../src/remote/api.js';

export const FIXTURES = new URL('../../fixtures/', import.meta.url);
export const DEMO_APP = 'amzn1.devportal.mobileapp.0123456789abcdef0123456789abcdef';

export async function demoSeed(): Promise<SeedFile> {
  return JSON.parse(await readFile(new URL('seeds/demo.json', FIXTURES), 'utf8')) as SeedFile;
}

export interface Harness {
  emulator: RunningEmulator;
  api: AppstoreApi;
  /** Every delay the client slept for (retry backoff, Retry-After, attach polling). */
  sleeps: number[];
  /**
   * Virtual time shared by the client (retry budget, token expiry) and the emulator (token expiry,
   * large-upload readiness). The client's sleeps advance it instead of waiting.
   */
  advance(ms: number): void;
  /** Every debug line of the client. */
  trace: string[];
  /** A second client on the same emulator, with other options. */
  client(options?: Partial<ClientOptions>): AppstoreApi;
  /** The emulator's request log, as `METHOD path-after-/v1/applications/<app>` strings. */
  requests(): { method: string; path: string; status: number | null; operation: string | null }[];
  close(): Promise<void>;
}

export async function startHarness(
  options: { emulator?: EmulatorOptions; client?: Partial<ClientOptions> } = {},
): Promise<Harness> {
  const epoch = Date.now();
  let virtualMs = 0;
  const advance = (ms: number) => {
    virtualMs += ms;
  };
  const emulator = await startEmulator({
    seed: await demoSeed(),
    clock: () => epoch + virtualMs,
    ...options.emulator,
  });
  const sleeps: number[] = [];
  const trace: string[] = [];
  const clients: AppstoreApi[] = [];
  const client = (extra: Partial<ClientOptions> = {}): AppstoreApi => {
    const api = createAppstoreApi({
      apiUrl: emulator.apiUrl,
      tokenUrl: emulator.tokenUrl,
      credentials: { clientId: DEMO_CREDENTIAL.clientId, clientSecret: DEMO_CREDENTIAL.clientSecret },
      debug: (line) => trace.push(line),
      clock: () => epoch + virtualMs,
      ...options.client,
      ...extra,
      retry: {
        // Recorded, not slept: tests assert the delays and stay fast.
        sleep: async (ms) => {
          sleeps.push(ms);
          advance(ms);
        },
        now: () => virtualMs,
        ...options.client?.retry,
        ...extra.retry,
      },
    });
    clients.push(api);
    return api;
  };
  const api = client();
  return {
    emulator,
    api,
    sleeps,
    advance,
    trace,
    client,
    requests: () =>
      emulator.store
        .requests()
        .map((r) => ({ method: r.method, path: r.path, status: r.status, operation: r.operation })),
    close: async () => {
      for (const c of clients) c.close();
      await emulator.close();
    },
  };
}

export async function tempDir(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'remote-test-'));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

export async function fixtureFile(relative: string): Promise<{ path: string; size: number }> {
  const path = new URL(relative, FIXTURES).pathname;
  return { path, size: (await stat(path)).size };
}

/**
 * A real APK of about `padBytes` more than the fixture: the fixture's entries plus a stored
 * `assets/pad.bin`, with the central directory rewritten. The emulator parses it like any APK.
 */
export async function paddedApk(
  fixture: string,
  padBytes: number,
  dir: string,
): Promise<{ path: string; size: number }> {
  const zip = await readFile(new URL(`apks/${fixture}`, FIXTURES));
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const entries = zip.readUInt16LE(eocd + 10);
  const cdSize = zip.readUInt32LE(eocd + 12);
  const cdOffset = zip.readUInt32LE(eocd + 16);
  const name = Buffer.from('assets/pad.bin');
  const data = Buffer.alloc(padBytes, 0x5a);
  const crc = crc32(data);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(10, 4); // version needed
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(padBytes, 18);
  local.writeUInt32LE(padBytes, 22);
  local.writeUInt16LE(name.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(10, 6);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(padBytes, 20);
  central.writeUInt32LE(padBytes, 24);
  central.writeUInt16LE(name.length, 28);
  central.writeUInt32LE(cdOffset, 42); // the new entry sits where the old central directory began
  const newCdOffset = cdOffset + local.length + name.length + padBytes;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries + 1, 8);
  end.writeUInt16LE(entries + 1, 10);
  end.writeUInt32LE(cdSize + central.length + name.length, 12);
  end.writeUInt32LE(newCdOffset, 16);
  const out = Buffer.concat([
    zip.subarray(0, cdOffset),
    local,
    name,
    data,
    zip.subarray(cdOffset, cdOffset + cdSize),
    central,
    name,
    end,
  ]);
  const path = join(dir, fixture.replace('.apk', `-pad${padBytes}.apk`));
  await writeFile(path, out);
  return { path, size: out.length };
}

/** A valid image followed by `padBytes` of filler (the emulator reads only the head). */
export async function paddedImage(
  fixture: string,
  padBytes: number,
  dir: string,
): Promise<{ path: string; size: number }> {
  const image = await readFile(new URL(`images/${fixture}`, FIXTURES));
  const out = Buffer.concat([image, Buffer.alloc(padBytes)]);
  const path = join(dir, `pad-${padBytes}-${fixture}`);
  await writeFile(path, out);
  return { path, size: out.length };
}

/** Runs `fn` and returns what it threw (fails the test when it did not throw). */
export async function caught<E = Error>(fn: () => Promise<unknown>): Promise<E> {
  try {
    await fn();
  } catch (error) {
    return error as E;
  }
  throw new Error('expected a rejection, got none');
}
