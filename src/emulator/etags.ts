// ETags of one edit (appstore-api.md §5.4). Every node of an edit (the edit, the APK list, an APK, its
// targeting, the listings, a listing, an image list, …) has a revision; a mutation bumps the node and
// all its ancestors. Two models:
// - hierarchical (default): each node has its own ETag; If-Match is accepted when it equals the
//   target's current ETag or any ancestor's, which accepts every pattern real clients were seen using;
// - edit (strict): one ETag for everything under the edit; any mutation anywhere makes it stale.
import { createHash } from 'node:crypto';

export type EtagMode = 'hierarchical' | 'edit';

/** A node's path below its edit: `[]` is the edit, `['listings', 'en-US', 'images', 'screenshots']` an image list. */
export type NodePath = readonly string[];

export class EtagBook {
  readonly #editId: string;
  readonly #mode: EtagMode;
  readonly #revisions = new Map<string, number>();
  #clock = 0;

  constructor(editId: string, mode: EtagMode) {
    this.#editId = editId;
    this.#mode = mode;
  }

  get mode(): EtagMode {
    return this.#mode;
  }

  /** The current ETag of a node, quoted as it appears in the header. */
  etag(path: NodePath): string {
    const node = this.#mode === 'edit' ? [] : path;
    const key = node.join('/');
    const revision = this.#revisions.get(key) ?? 0;
    const digest = createHash('sha256').update(`${this.#editId}\n${key}\n${revision}`).digest('hex');
    return `"${this.#mode === 'edit' ? 'e' : 'r'}-${digest.slice(0, 24)}"`;
  }

  /**
   * Records a mutation of `path`: bumps it and every ancestor up to the edit. `descendants` are bumped
   * too — for a node that was deleted or re-created, so no child ETag from before stays valid.
   */
  bump(path: NodePath, descendants: readonly NodePath[] = []): void {
    this.#clock += 1;
    for (let depth = 0; depth <= path.length; depth += 1) {
      this.#revisions.set(path.slice(0, depth).join('/'), this.#clock);
    }
    for (const child of descendants) this.#revisions.set([...path, ...child].join('/'), this.#clock);
  }

  /** Whether an If-Match value is current for a mutation of `path` (the target or, hierarchically, an ancestor). */
  matches(path: NodePath, ifMatch: string): boolean {
    const value = ifMatch.trim();
    if (this.#mode === 'edit') return value === this.etag([]);
    for (let depth = path.length; depth >= 0; depth -= 1) {
      if (value === this.etag(path.slice(0, depth))) return true;
    }
    return false;
  }
}
