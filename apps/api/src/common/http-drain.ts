import type { Server } from 'node:http';
import { Injectable } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';

/**
 * The HTTP requests in flight, and the drain that lets them finish before a stopping
 * node closes its database and Redis connections: no request is cut off by a deploy.
 */
@Injectable()
export class HttpDrain {
  private readonly inFlight = new Set<Response>();
  private draining = false;
  private drained?: () => void;

  /** Middleware, mounted first: counts each request until its response ends or its connection closes. */
  readonly track = (_req: Request, res: Response, next: NextFunction): void => {
    this.inFlight.add(res);
    // A request that arrives on a kept-alive connection while draining is served, and the connection closed.
    if (this.draining) res.setHeader('connection', 'close');
    res.once('close', () => {
      this.inFlight.delete(res);
      if (this.draining && this.inFlight.size === 0) this.drained?.();
    });
    next();
  };

  get requestsInFlight(): number {
    return this.inFlight.size;
  }

  /**
   * Stops accepting connections and closes idle ones, asks every client to close its
   * connection after its response, and resolves once the requests in flight have ended,
   * or after `timeoutMs`, when the rest are cut off. Answers which of the two happened.
   */
  async drain(server: Server, timeoutMs: number): Promise<'drained' | 'timeout'> {
    this.draining = true;
    server.close();
    server.closeIdleConnections();
    for (const res of this.inFlight) if (!res.headersSent) res.setHeader('connection', 'close');
    if (this.inFlight.size === 0) return 'drained';
    let timer: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([
      new Promise<'drained'>((resolve) => (this.drained = () => resolve('drained'))),
      new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs))),
    ]);
    clearTimeout(timer);
    if (outcome === 'timeout') server.closeAllConnections();
    return outcome;
  }
}
