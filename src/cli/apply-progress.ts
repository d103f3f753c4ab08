// How apply shows its progress: a live listr2 list on a TTY, one timestamped line per event otherwise
// (CI logs), one JSON object per line with --json. The executor only emits events.
import type { ApplyEvent } from '../apply/events.js';
import type { Action } from '../plan/types.js';
import { formatBytes } from '../render/format.js';
import type { CliIO } from './io.js';

export interface ProgressReporter {
  onEvent: (event: ApplyEvent) => void;
  /** Resolves once everything is on screen. */
  finish: () => Promise<void>;
}

function describe(action: Action): string {
  return `${action.kind} ${action.address}`;
}

export function jsonLinesReporter(io: CliIO): ProgressReporter {
  return {
    // Per-action events name the action by address and kind; the full action is in the 'start' event.
    onEvent: (event) => {
      const line =
        event.type === 'action-start' || event.type === 'action-end'
          ? { ...event, action: undefined, address: event.action.address, kind: event.action.kind }
          : event;
      io.stdout.write(`${JSON.stringify(line)}\n`);
    },
    finish: async () => {},
  };
}

export function plainReporter(io: CliIO, clock: () => Date = () => new Date()): ProgressReporter {
  const line = (text: string) => io.stdout.write(`${clock().toISOString()} ${text}\n`);
  let lastPercent = -1;
  return {
    onEvent: (event) => {
      switch (event.type) {
        case 'start':
          line(`${event.actions.length} action(s) to perform`);
          break;
        case 'edit':
          line(event.created ? `created edit ${event.editId}` : `using edit ${event.editId}`);
          break;
        case 'action-start':
          lastPercent = -1;
          line(`start  ${describe(event.action)}`);
          break;
        case 'progress': {
          // Every 25 %: enough to see a long upload move, few enough lines for a CI log.
          const percent = event.total === 0 ? 100 : Math.floor((event.sent / event.total) * 4) * 25;
          if (percent !== lastPercent) {
            lastPercent = percent;
            line(`upload ${percent}% of ${formatBytes(event.total)}`);
          }
          break;
        }
        case 'action-end':
          line(
            `${event.result.outcome.padEnd(6)} ${describe(event.action)}${event.result.message ? `: ${event.result.message}` : ''}`,
          );
          break;
        case 'state-written':
          break;
        case 'commit':
          line(`commit ${event.status}`);
          break;
      }
    },
    finish: async () => {},
  };
}

interface Deferred {
  promise: Promise<ApplyEvent & { type: 'action-end' }>;
  resolve: (event: ApplyEvent & { type: 'action-end' }) => void;
}

function deferred(): Deferred {
  let resolve!: Deferred['resolve'];
  const promise = new Promise<ApplyEvent & { type: 'action-end' }>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** A live list on a TTY: one listr2 task per action, driven by the executor's events. */
export async function listrReporter(): Promise<ProgressReporter> {
  const { Listr } = await import('listr2');
  let ends: Deferred[] = [];
  let actions: Action[] = [];
  const outputs: ((text: string) => void)[] = [];
  let uploadStart = Date.now();
  let running: Promise<unknown> = Promise.resolve();
  return {
    onEvent: (event) => {
      switch (event.type) {
        case 'start':
          actions = event.actions;
          ends = actions.map(deferred);
          running = new Listr(
            actions.map((action, index) => ({
              title: describe(action),
              task: async (_ctx: unknown, task: { output: string; skip: (message: string) => void }) => {
                outputs[index] = (text) => {
                  task.output = text;
                };
                const end = await ends[index]!.promise;
                if (end.result.outcome === 'failed') throw new Error(end.result.message ?? 'failed');
                if (end.result.outcome !== 'applied') {
                  task.skip(`${describe(action)} (${end.result.message ?? end.result.outcome})`);
                }
              },
            })),
            { concurrent: false, exitOnError: false },
          )
            .run()
            .catch(() => undefined);
          break;
        case 'action-start':
          uploadStart = Date.now();
          break;
        case 'progress': {
          const seconds = Math.max((Date.now() - uploadStart) / 1000, 0.001);
          const percent = event.total === 0 ? 100 : Math.floor((event.sent / event.total) * 100);
          outputs[event.index]?.(
            `${formatBytes(event.sent)} / ${formatBytes(event.total)} (${percent}%, ${formatBytes(event.sent / seconds)}/s)`,
          );
          break;
        }
        case 'action-end':
          ends[event.index]?.resolve(event);
          break;
        default:
          break;
      }
    },
    finish: async () => {
      // Tasks whose end never came (the executor stopped on an error) are closed as not started.
      for (const [index, end] of ends.entries()) {
        const action = actions[index]!;
        end.resolve({
          type: 'action-end',
          index,
          action,
          result: { address: action.address, kind: action.kind, outcome: 'not-started' },
        });
      }
      await running;
    },
  };
}
