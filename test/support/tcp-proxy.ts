import { once } from 'node:events';
import { connect, createServer, Server, Socket } from 'node:net';
import { freePort } from './processes';

/**
 * A loopback TCP proxy in front of one of the stack's servers, which a test can cut and
 * restore: an outage of that dependency for one app, without stopping the server the
 * other suites share.
 */
export class TcpProxy {
  private server?: Server;
  private readonly sockets = new Set<Socket>();

  constructor(
    readonly port: number,
    private readonly target: { host: string; port: number },
  ) {}

  /** A started proxy on a free port in front of the server `url` names (`defaultPort` when it names none). */
  static async before(url: string, defaultPort: number): Promise<TcpProxy> {
    const { hostname, port } = new URL(url);
    const proxy = new TcpProxy(await freePort(), { host: hostname, port: Number(port || defaultPort) });
    await proxy.start();
    return proxy;
  }

  /** The URL `url` with its host and port replaced by this proxy's. */
  via(url: string): string {
    const proxied = new URL(url);
    proxied.hostname = '127.0.0.1';
    proxied.port = String(this.port);
    return proxied.toString();
  }

  async start(): Promise<void> {
    this.server = createServer((client) => {
      const upstream = connect(this.target);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.once('close', () => this.sockets.delete(socket));
        socket.on('error', () => (socket === client ? upstream : client).destroy());
      }
      client.pipe(upstream).pipe(client);
    }).listen(this.port, '127.0.0.1');
    await once(this.server, 'listening');
  }

  /** Refuses new connections and cuts the open ones, as a server that went away would. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    if (server) await new Promise((resolve) => server.close(resolve));
  }
}
