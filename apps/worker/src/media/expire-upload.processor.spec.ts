import type { MediaRepository, MediaRow } from '@app/database';
import type { QueueProducer } from '@app/queue';
import type { S3Storage } from '@app/storage';
import { LATE_PUT_GRACE_MS, UploadExpirer } from './expire-upload.processor';

/** An expirer over a table holding `row`, due, and fake storage and queues. */
function setUp(row: Partial<MediaRow>) {
  const expired = {
    id: 'm1',
    status: 'uploading',
    upload_key: 'uploads/k1',
    media_key: null,
    poster_key: null,
    ...row,
  };
  const media = {
    expireUpload: jest.fn(async (_id: string, deleteObjects: (r: MediaRow) => Promise<void>) => {
      await deleteObjects(expired as MediaRow);
      return expired as MediaRow;
    }),
  };
  const storage = { deleteAll: jest.fn().mockResolvedValue(1), abortMultipart: jest.fn() };
  const queues = { enqueue: jest.fn().mockResolvedValue(undefined) };
  const expirer = new UploadExpirer(
    media as unknown as MediaRepository,
    storage as unknown as S3Storage,
    queues as unknown as QueueProducer,
  );
  return { expirer, storage, queues };
}

describe('UploadExpirer', () => {
  it('deletes a single-PUT upload, and once more after a PUT begun before the deadline could have landed', async () => {
    const { expirer, storage, queues } = setUp({ upload_method: 'put' });
    expect(await expirer.expire('m1')).toBe(true);
    expect(storage.deleteAll).toHaveBeenCalledWith(['uploads/k1']);
    expect(queues.enqueue).toHaveBeenCalledWith(
      'storage.delete',
      { keys: ['uploads/k1'], reason: expect.any(String) },
      { delayMs: LATE_PUT_GRACE_MS },
    );
  });

  it('needs no second delete for a multipart upload: aborting it ends what its part URLs sign for', async () => {
    const { expirer, storage, queues } = setUp({ upload_method: 'multipart', multipart_upload_id: 'u1' });
    expect(await expirer.expire('m1')).toBe(true);
    expect(storage.abortMultipart).toHaveBeenCalledWith('uploads/k1', 'u1');
    expect(queues.enqueue).not.toHaveBeenCalled();
  });

  it('still expires the upload when the second delete cannot be queued', async () => {
    const { expirer, queues } = setUp({ upload_method: 'put' });
    queues.enqueue.mockRejectedValue(new Error('Redis is away'));
    expect(await expirer.expire('m1')).toBe(true);
  });
});
