import type { Socket } from 'socket.io';
import type { AuthGuard } from '../auth/auth.guard';
import { EventsGateway } from './events.gateway';

function socketOf() {
  const socket = {
    data: { auth: { userId: 'u1', sessionId: 's1', accessExpiresAt: new Date(Date.now() + 60_000) } },
    join: jest.fn().mockResolvedValue(undefined),
    once: jest.fn(),
    disconnect: jest.fn(),
  };
  return socket;
}

describe('EventsGateway', () => {
  afterEach(() => jest.useRealTimers());

  it('closes a socket whose session was revoked during the handshake', async () => {
    jest.useFakeTimers();
    const socket = socketOf();
    const gateway = new EventsGateway({ stillActive: jest.fn().mockResolvedValue(false) } as unknown as AuthGuard);
    await gateway.handleConnection(socket as unknown as Socket);
    expect(socket.join).toHaveBeenCalledWith(['user:u1', 'session:s1']);
    expect(socket.disconnect).toHaveBeenCalledWith(true);
  });

  it('closes the socket, and does not reject, when the session cannot be checked', async () => {
    jest.useFakeTimers();
    const socket = socketOf();
    const gateway = new EventsGateway({
      stillActive: jest.fn().mockRejectedValue(new Error('connect ECONNREFUSED 127.0.0.1:5432')),
    } as unknown as AuthGuard);
    await expect(gateway.handleConnection(socket as unknown as Socket)).resolves.toBeUndefined();
    expect(socket.disconnect).toHaveBeenCalledWith(true);
  });
});
