import type { Manifest } from '../manifest/types.js';
import type { AppstoreApi, EditRef } from '../remote/api.js';
import { writeStateFile } from '../state-file/state-file.js';
import type { StateFile } from '../state-file/types.js';
import type { Expectations } from './guard.js';

/** What every action handler may use: the API, the edit, expectations, and the state file. */
export interface ApplyContext {
  api: AppstoreApi;
  edit: EditRef;
  manifest: Manifest;
  state: StateFile;
  expectations: Expectations;
  progress: (sent: number, total: number) => void;
  /** Atomically rewrites the state file; called after every asset or APK mutation. */
  saveState: () => Promise<void>;
}

export function stateSaver(
  path: string,
  state: StateFile,
  onWritten: (path: string) => void,
): () => Promise<void> {
  // Writes are serialized: two overlapping renames could otherwise land out of order.
  let queue: Promise<void> = Promise.resolve();
  return () => {
    queue = queue.then(async () => {
      await writeStateFile(path, state);
      onWritten(path);
    });
    return queue;
  };
}
