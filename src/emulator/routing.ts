// The route table's types and matcher. Handlers get a RouteContext and return a Reply; the server
// decides whether the reply is sent (a `reset-after` fault drops it after the handler has run).
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import type { EmulatorConfig } from './options.js';
import type { EmulatorStore } from './store.js';

export interface Reply {
  status: number;
  /** JSON-serialised; omitted for 204. */
  body?: unknown;
  headers?: Record<string, string>;
}

export interface RouteContext {
  req: IncomingMessage;
  /** The request body, metered (and throttled under a `slow-upload` fault). Read it from here, not from `req`. */
  body: Readable;
  params: Record<string, string>;
  query: URLSearchParams;
  store: EmulatorStore;
  config: EmulatorConfig;
}

export type Handler = (context: RouteContext) => Reply | Promise<Reply>;

export interface Route {
  method: string;
  /** `/v1/applications/:appId/edits/:editId`; `:name` matches one non-empty segment. */
  pattern: string;
  /** Name used in the request log and fault rules (`replaceApk`). */
  operation: string;
  handler: Handler;
}

interface CompiledRoute extends Route {
  regex: RegExp;
  names: string[];
}

export type RouteMatch =
  | { kind: 'found'; route: Route; params: Record<string, string> }
  | { kind: 'wrong-method'; allowed: string[] }
  | { kind: 'none' };

export class Router {
  readonly #routes: CompiledRoute[] = [];

  add(...routes: Route[]): this {
    for (const route of routes) {
      const names: string[] = [];
      const source = route.pattern
        .split('/')
        .map((segment) => {
          if (!segment.startsWith(':')) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
          names.push(segment.slice(1));
          return '([^/]+)';
        })
        .join('/');
      this.#routes.push({ ...route, regex: new RegExp(`^${source}$`), names });
    }
    return this;
  }

  operations(): string[] {
    return this.#routes.map((route) => route.operation);
  }

  /** First route in table order whose pattern and method match; so fixed segments must come first. */
  match(method: string, path: string): RouteMatch {
    const allowed: string[] = [];
    for (const route of this.#routes) {
      const found = route.regex.exec(path);
      if (found === null) continue;
      if (route.method !== method) {
        allowed.push(route.method);
        continue;
      }
      const params: Record<string, string> = {};
      let decodable = true;
      route.names.forEach((name, index) => {
        try {
          params[name] = decodeURIComponent(found[index + 1] ?? '');
        } catch {
          decodable = false;
        }
      });
      if (!decodable) continue;
      return { kind: 'found', route, params };
    }
    return allowed.length > 0 ? { kind: 'wrong-method', allowed } : { kind: 'none' };
  }
}

export const json = (body: unknown, status = 200, headers?: Record<string, string>): Reply =>
  headers === undefined ? { status, body } : { status, body, headers };

export const noContent = (): Reply => ({ status: 204 });
