import { Logger } from '@nestjs/common';
import type { RedisService } from '@app/redis';
import { RedisTimingCheck } from './redis-timing.check';

describe('RedisTimingCheck', () => {
  const check = (config: () => Promise<unknown>) =>
    new RedisTimingCheck({ client: { config } } as unknown as RedisService).onApplicationBootstrap();
  let warn: jest.SpyInstance;
  beforeEach(() => (warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined)));
  afterEach(() => warn.mockRestore());

  it('warns when Redis ends blocking commands on a coarse tick', async () => {
    await check(async () => ['hz', '10']);
    expect(warn).toHaveBeenCalledWith({ hz: 10, lateByUpToMs: 100 }, expect.stringContaining('run Redis with hz 100'));
  });

  it('stays quiet at hz 100, and where CONFIG is refused', async () => {
    await check(async () => ['hz', '100']);
    await check(async () => {
      throw new Error("ERR unknown command 'CONFIG'");
    });
    expect(warn).not.toHaveBeenCalled();
  });
});
