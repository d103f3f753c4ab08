// What the executor tells the outside world while it runs. The CLI renders these (listr2 on a TTY,
// a line per event otherwise, JSON lines with --json); the executor never prints.
import type { Action } from '../plan/types.js';

export type Outcome = 'applied' | 'skipped' | 'failed' | 'not-started';

export interface ActionOutcome {
  address: string;
  kind: Action['kind'];
  outcome: Outcome;
  /** Why skipped or failed, in a sentence. */
  message?: string;
  hint?: string;
}

export type ApplyEvent =
  | { type: 'edit'; editId: string; created: boolean }
  /** The actions about to be performed, in order; `index` in later events points into this list. */
  | { type: 'start'; actions: Action[] }
  | { type: 'action-start'; index: number; action: Action }
  | { type: 'progress'; index: number; sent: number; total: number }
  | { type: 'action-end'; index: number; action: Action; result: ActionOutcome }
  | { type: 'state-written'; path: string }
  | { type: 'commit'; status: 'validating' | 'committing' | 'committed' };

export interface ApplyResult {
  appId: string;
  editId: string | null;
  outcomes: ActionOutcome[];
  committed: boolean;
  /** Why validate or commit refused the edit (Amazon's errors with advice), when it did. */
  commitError?: { message: string; hint?: string };
  interrupted: boolean;
  /** Every announced action applied (or already done) and, if asked, committed. */
  ok: boolean;
  /** Changes found after the edit was created that the plan did not show; not performed. */
  unplanned: string[];
}
