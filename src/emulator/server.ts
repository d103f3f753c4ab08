// The HTTP server: one node:http server for three surfaces, told apart by path prefix:
//   /api/appstore/…   the App Submission API (token required, faults and request log apply)
//   /auth/o2/token    the Login-with-Amazon token endpoint (faults and request log apply)
//   /__emulator/…     admin endpoints (no token, no faults, not logged)
// Handlers return a Reply; this file decides whether and how it is sent (faults), and logs the request.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { ApiError, GatewayError, NOT_AUTHORIZED } from './api-errors.js';
import { BodyMeter } from './body-meter.js';
import type { FaultDecision, FaultInjector } from './faults.js';
import type { EmulatorConfig } from './options.js';
import { adminRoutes } from './routes/admin.js';
import { apkRoutes } from './routes/apks.js';
import { availabilityRoutes } from './routes/availability.js';
import { detailsRoutes } from './routes/details.js';
import { editRoutes } from './routes/edits.js';
import { imageRoutes } from './routes/images.js';
import { listingRoutes } from './routes/listings.js';
import { targetingRoutes } from './routes/targeting.js';
import { tokenRoutes } from './routes/token.js';
import { videoRoutes } from './routes/videos.js';
import { type Reply, type RouteContext, Router } from './routing.js';
import type { EmulatorStore, RequestLogEntry } from './store.js';

export const API_PREFIX = '/api/appstore';
export const ADMIN_PREFIX = '/__emulator';

export interface EmulatorServer {
  server: Server;
  /** Destroys every open connection (keep-alive ones included) and stops listening. */
  close(): Promise<void>;
}

export function createEmulatorServer(
  store: EmulatorStore,
  config: EmulatorConfig,
  faults: FaultInjector,
): EmulatorServer {
  // Order matters where patterns overlap: fixed segments (apks/upload, videos) before parameters.
  const api = new Router().add(
    ...editRoutes,
    ...apkRoutes,
    ...targetingRoutes,
    ...videoRoutes,
    ...imageRoutes,
    ...listingRoutes,
    ...detailsRoutes,
    ...availabilityRoutes,
  );
  const token = new Router().add(...tokenRoutes);
  const admin = new Router().add(...adminRoutes({ faults }));
  // A rule naming no real operation would never fire: refuse it instead of silently ignoring it.
  faults.knowOperations(new Set([...api.operations(), ...token.operations()]));
  const sockets = new Set<Socket>();

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      // handle() already answered or logged; a failure here means the socket is gone.
      if (!res.headersSent) res.destroy();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://emulator.invalid');
    const path = url.pathname;
    const method = req.method ?? 'GET';
    if (path === ADMIN_PREFIX || path.startsWith(`${ADMIN_PREFIX}/`)) {
      await serveAdmin(req, res, method, path.slice(ADMIN_PREFIX.length), url.searchParams);
      return;
    }
    const isApi = path === API_PREFIX || path.startsWith(`${API_PREFIX}/`);
    const routePath = isApi ? path.slice(API_PREFIX.length) : path;
    const match = (isApi ? api : token).match(method, routePath);
    const operation = match.kind === 'found' ? match.route.operation : null;
    const entry: RequestLogEntry = {
      seq: store.nextRequestSeq(),
      method,
      path,
      operation,
      status: null,
      bytesIn: 0,
      fault: null,
      injectedLatencyMs: 0,
      throttleBytesPerSecond: 0,
      processed: false,
      startedAt: Date.now(),
      durationMs: 0,
    };
    const started = performance.now();
    const decision: FaultDecision = faults.decide(method, path, operation);
    entry.injectedLatencyMs = decision.latencyMs;
    entry.throttleBytesPerSecond = decision.bytesPerSecond;
    const meter = meterBody(req, decision.bytesPerSecond);
    try {
      if (decision.latencyMs > 0) await sleep(decision.latencyMs);
      const terminal = decision.terminal;
      if (terminal?.kind === 'reset-before') {
        entry.fault = 'reset-before';
        resetConnection(req);
        return;
      }
      if (terminal?.kind === '429') {
        entry.fault = '429';
        send(res, entry, {
          status: 429,
          body: { Message: 'Too Many Requests' },
          headers: { 'Retry-After': String(terminal.retryAfter) },
        });
        return;
      }
      if (terminal?.kind === '500') {
        entry.fault = '500';
        // Like a service that fails after reading the request: the client has sent the whole body, so it
        // must treat the upload as one that may have landed (deterministically, not by a race).
        await consumeBody(meter);
        send(res, entry, { status: 500, body: {} });
        return;
      }
      let reply: Reply;
      try {
        if (match.kind !== 'found') {
          throw isApi
            ? new GatewayError(
                403,
                `Unable to fetch the request scope for uri = ${path.replace(/^\/api/, '')} and verb = ${method}`,
              )
            : new GatewayError(404, 'Not Found');
        }
        if (isApi) authorize(req);
        const context: RouteContext = {
          req,
          body: meter,
          params: match.params,
          query: url.searchParams,
          store,
          config,
        };
        reply = await match.route.handler(context);
        entry.processed = true;
      } catch (error) {
        reply = errorReply(error);
      }
      if (terminal?.kind === 'reset-after') {
        entry.fault = 'reset-after';
        resetConnection(req);
        return;
      }
      send(res, entry, reply);
    } finally {
      entry.bytesIn = meter.bytes;
      entry.durationMs = Math.round(performance.now() - started);
      store.logRequest(entry);
      drain(req, meter);
    }
  }

  function authorize(req: IncomingMessage): void {
    const header = req.headers.authorization ?? '';
    const token = /^bearer\s+(\S+)\s*$/i.exec(header)?.[1];
    if (token === undefined || !store.tokenValid(token)) throw new GatewayError(401, NOT_AUTHORIZED);
  }

  async function serveAdmin(
    req: IncomingMessage,
    res: ServerResponse,
    method: string,
    path: string,
    query: URLSearchParams,
  ): Promise<void> {
    const meter = meterBody(req, 0);
    let reply: Reply;
    try {
      const match = admin.match(method, path);
      if (match.kind === 'wrong-method') {
        throw ApiError.of(
          405,
          'emulator_method_not_allowed',
          `Use ${match.allowed.join(' or ')} on ${path}.`,
        );
      }
      if (match.kind === 'none') throw ApiError.of(404, 'emulator_not_found', `No admin endpoint ${path}.`);
      reply = await match.route.handler({ req, body: meter, params: match.params, query, store, config });
    } catch (error) {
      reply = errorReply(error);
    }
    send(res, undefined, reply);
    drain(req, meter);
  }

  return {
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        for (const socket of sockets) socket.destroy();
      }),
  };
}

/** Pipes the request body through a meter; an aborted request ends the meter with an error. */
function meterBody(req: IncomingMessage, bytesPerSecond: number): BodyMeter {
  const meter = new BodyMeter(bytesPerSecond);
  // A handler reading the body sees the abort through its read; one that never reads it (a reset-before
  // fault, a route that answers early) must not take the whole server down with an unhandled 'error'.
  meter.on('error', () => {});
  req.on('error', (error) => meter.destroy(error));
  req.on('close', () => {
    if (!req.complete) meter.destroy(new Error('The client closed the connection before the body ended.'));
  });
  req.pipe(meter);
  return meter;
}

async function consumeBody(meter: BodyMeter): Promise<void> {
  try {
    for await (const _chunk of meter) {
      // dropped: only its arrival matters
    }
  } catch {
    // an aborted body ends here as well
  }
}

/** Reads and drops whatever body the handler left unread, so the connection can be reused. */
function drain(req: IncomingMessage, meter: BodyMeter): void {
  if (req.complete) return;
  if (!meter.destroyed) meter.resume();
  else req.resume();
}

/** A TCP reset, not a clean close: what a client sees when a proxy or the service dies mid-request. */
function resetConnection(req: IncomingMessage): void {
  req.socket.resetAndDestroy();
}

function errorReply(error: unknown): Reply {
  if (error instanceof ApiError) return { status: error.status, body: error.body() };
  if (error instanceof GatewayError) return { status: error.status, body: error.body() };
  return {
    status: 500,
    body: { Message: `Internal emulator error: ${(error as Error)?.message ?? String(error)}` },
  };
}

function send(res: ServerResponse, entry: RequestLogEntry | undefined, reply: Reply): void {
  if (res.destroyed || res.socket === null || res.socket.destroyed) return;
  const headers: Record<string, string> = { ...reply.headers };
  let payload: Buffer | undefined;
  if (reply.status !== 204 && reply.body !== undefined) {
    payload = Buffer.from(JSON.stringify(reply.body));
    headers['Content-Type'] = 'application/json;charset=UTF-8';
    headers['Content-Length'] = String(payload.length);
  }
  res.writeHead(reply.status, headers);
  res.end(payload);
  if (entry !== undefined) entry.status = reply.status;
}
