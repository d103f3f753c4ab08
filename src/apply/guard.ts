// DESIGN decision 8: staleness is judged on content, ETags only guard the write. Before each write we
// GET the target, check its content against what the plan (or our own earlier writes) expects, and
// write with that GET's ETag. On 412 we re-GET once: same content → retry with the fresh ETag; other
// content → stop. We never overwrite a change we did not plan.
import { AppError } from '../errors/app-error.js';
import { fingerprint } from '../fingerprint/fingerprint.js';
import type { Action } from '../plan/types.js';
import { ApiError } from '../remote/errors.js';
import type { Versioned } from '../remote/remote-state.js';

export class ChangedSincePlanError extends AppError {
  constructor(address: string) {
    super(
      'changed_since_plan',
      `${address} changed since plan: its remote content is not what the plan assumed.`,
      {
        hint: 'Someone (or the Developer Console) changed it. Run plan again, review, and apply the new plan.',
      },
    );
  }
}

/** Expected content per address: the plan's assumption, then whatever our own writes made it. */
export class Expectations {
  private readonly byAddress = new Map<string, string>();

  /** What the action's target should hold now: after our own write to it, that; else the plan's assumption. */
  expected(action: Pick<Action, 'address' | 'assumed'>): string | undefined {
    return (
      this.byAddress.get(action.address) ??
      ('fingerprint' in action.assumed ? action.assumed.fingerprint : undefined)
    );
  }

  /** After our own write: the value we now expect to read back. */
  set(address: string, value: unknown): void {
    this.byAddress.set(address, fingerprint(value));
  }
}

export interface GuardedWrite<T, R> {
  address: string;
  /** Fingerprint the plan assumed; undefined when nothing is assumed (re-planned after edit creation). */
  expected: string | undefined;
  read: () => Promise<Versioned<T>>;
  /** What of the value the plan fingerprinted (e.g. the ids of an image list). */
  project?: (value: T) => unknown;
  write: (etag: string | undefined, current: T) => Promise<R>;
  /**
   * Recognizes our own write in a value read after a 412. The client retries idempotent requests, so
   * a PUT whose first attempt landed before the connection broke comes back as a 412 on the retry:
   * that is success, not someone else's change.
   */
  landed?: (current: T) => { result: R } | undefined;
}

export async function guardedWrite<T, R>(op: GuardedWrite<T, R>): Promise<R> {
  const project = op.project ?? ((value: T) => value);
  const check = (value: T) => {
    if (op.expected !== undefined && fingerprint(project(value)) !== op.expected) {
      throw new ChangedSincePlanError(op.address);
    }
  };
  const current = await op.read();
  check(current.value);
  try {
    return await op.write(current.etag, current.value);
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 412) throw error;
    const reread = await op.read();
    const done = op.landed?.(reread.value);
    if (done !== undefined) return done.result;
    check(reread.value);
    return op.write(reread.etag, reread.value);
  }
}
