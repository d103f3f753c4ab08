// Identifiers in the shapes the real service uses (appstore-api.md §1.1). They come from a counter
// hashed with a seed, so a run that makes the same calls gets the same ids: scenario tests can keep
// golden outputs. Access tokens are the exception (see token route): those are random.
import { createHash } from 'node:crypto';

const ALNUM = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

export class IdFactory {
  readonly #seed: string;
  /** One counter per kind, so e.g. the number of requests made never shifts the next edit id. */
  readonly #counters = new Map<string, number>();

  constructor(seed: string) {
    this.#seed = seed;
  }

  reset(): void {
    this.#counters.clear();
  }

  #digest(kind: string): Buffer {
    const counter = (this.#counters.get(kind) ?? 0) + 1;
    this.#counters.set(kind, counter);
    return createHash('sha256').update(`${this.#seed}\n${kind}\n${counter}`).digest();
  }

  editId(): string {
    return `amzn1.devportal.apprelease.${this.#digest('edit').toString('hex').slice(0, 32)}`;
  }

  apkId(): string {
    return [...this.#digest('apk').subarray(0, 13)].map((byte) => ALNUM[byte % ALNUM.length]).join('');
  }

  assetId(): string {
    return `amzn1.dex.asset.${this.#digest('asset').toString('hex').slice(0, 32)}`;
  }

  fileId(): string {
    return `amzn1.devportal.assetupload.${this.#digest('file').toString('hex').slice(0, 32)}`;
  }

  requestId(): string {
    const hex = this.#digest('request').toString('hex');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
  }
}

/** A stand-in sha256 for bytes the emulator never saw (assets and APKs named only by a seed). */
export function fakeSha256(label: string): string {
  return createHash('sha256').update(`emulator-seed\n${label}`).digest('hex');
}
