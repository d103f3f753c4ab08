// A stand-in for what may sit between the client and Amazon (a proxy, a wrong --api-url): a real
// node:http server on 127.0.0.1 answering in ways the emulator never does (HTML, empty bodies).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ProxyServer {
  url: string;
  /** Requests, in arrival order. */
  received: { method: string; url: string }[];
  close(): Promise<void>;
}

export async function startProxyServer(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<ProxyServer> {
  const received: { method: string; url: string }[] = [];
  const server = createServer((req, res) => {
    received.push({ method: req.method ?? '', url: req.url ?? '' });
    req.on('error', () => {});
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/appstore`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
