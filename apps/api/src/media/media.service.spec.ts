import type { MediaRepository } from '@app/database';
import type { QueueProducer } from '@app/queue';
import type { S3Storage } from '@app/storage';
import { unitConfig } from '../../../../test/support/config';
import type { RateLimiter } from '../common/rate-limiter';
import { MediaService, SINGLE_PUT_MAX_BYTES } from './media.service';

describe('MediaService.createDirectUpload', () => {
  function setUp(create: () => Promise<unknown>) {
    const config = unitConfig();
    const media = { openUploads: jest.fn(async () => ({ count: 0, firstExpiresAt: null })), create: jest.fn(create) };
    const storage = {
      createMultipart: jest.fn(async () => 'upload-1'),
      abortMultipart: jest.fn(async () => undefined),
    };
    const limiter = { consume: jest.fn(async () => undefined) };
    const queues = { enqueue: jest.fn(async () => undefined) };
    const service = new MediaService(
      config,
      media as unknown as MediaRepository,
      storage as unknown as S3Storage,
      queues as unknown as QueueProducer,
      limiter as unknown as RateLimiter,
    );
    return { service, storage };
  }

  it('aborts the multipart upload it started when the row naming it cannot be written', async () => {
    const { service, storage } = setUp(async () => {
      throw new Error('connection terminated');
    });
    await expect(service.createDirectUpload('user-1', 'video/mp4', SINGLE_PUT_MAX_BYTES + 1)).rejects.toThrow(
      'connection terminated',
    );
    expect(storage.createMultipart).toHaveBeenCalledTimes(1);
    const [key] = storage.createMultipart.mock.calls[0] as unknown as [string];
    expect(storage.abortMultipart).toHaveBeenCalledWith(key, 'upload-1');
  });

  it('still answers the row failure when the abort fails too', async () => {
    const { service, storage } = setUp(async () => {
      throw new Error('connection terminated');
    });
    storage.abortMultipart.mockRejectedValueOnce(new Error('storage away'));
    await expect(service.createDirectUpload('user-1', 'video/mp4', SINGLE_PUT_MAX_BYTES + 1)).rejects.toThrow(
      'connection terminated',
    );
  });
});
