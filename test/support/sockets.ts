import { io, Socket } from 'socket.io-client';

export interface EventLog {
  socket: Socket;
  events: { event: string; payload: unknown }[];
  /** Resolves with the first matching event's payload, or fails at the deadline. */
  next: (event: string, match?: (payload: never) => boolean, timeoutMs?: number) => Promise<unknown>;
  close: () => void;
}

/** A connected socket.io client that records every event it receives. */
export async function connectSocket(baseUrl: string, token: string | undefined): Promise<EventLog> {
  const socket = io(baseUrl, { auth: token ? { token } : {}, transports: ['websocket'], reconnection: false });
  const events: { event: string; payload: unknown }[] = [];
  socket.onAny((event: string, payload: unknown) => events.push({ event, payload }));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (error) => reject(error));
  });
  return {
    socket,
    events,
    close: () => socket.close(),
    next: (event, match = () => true, timeoutMs = 5000) =>
      new Promise((resolve, reject) => {
        const deadline = Date.now() + timeoutMs;
        const check = () => {
          const found = events.find((e) => e.event === event && match(e.payload as never));
          if (found) return resolve(found.payload);
          if (Date.now() > deadline) return reject(new Error(`no ${event} within ${timeoutMs} ms`));
          setTimeout(check, 20);
        };
        check();
      }),
  };
}

/** Connects and expects a refusal; returns the connect_error. */
export async function refusedSocket(baseUrl: string, token: string | undefined): Promise<Error & { data?: unknown }> {
  const socket = io(baseUrl, { auth: token ? { token } : {}, transports: ['websocket'], reconnection: false });
  try {
    return await new Promise((resolve, reject) => {
      socket.once('connect', () => reject(new Error('connected, but should have been refused')));
      socket.once('connect_error', (error) => resolve(error as Error & { data?: unknown }));
    });
  } finally {
    socket.close();
  }
}
