import type { Job } from 'bullmq';
import { DomainError, ErrorCode } from '@app/contracts';
import type { MediaRepository, MediaRow, SnapsRepository } from '@app/database';
import type { MediaProcessor } from '@app/media';
import type { QueueProducer } from '@app/queue';
import type { RealtimePublisher } from '@app/realtime';
import type { S3Storage } from '@app/storage';
import { MediaProcessProcessor } from './media-process.processor';

const row = (over: Partial<MediaRow>): MediaRow => ({
  id: 'm1',
  owner_id: 'u1',
  status: 'processing',
  upload_method: 'multipart',
  upload_key: 'uploads/m1',
  multipart_upload_id: null,
  declared_type: null,
  declared_size: null,
  upload_expires_at: new Date(Date.now() + 3_600_000),
  kind: 'image',
  content_type: null,
  media_key: null,
  poster_key: null,
  width: null,
  height: null,
  duration_ms: null,
  placeholder: null,
  failure_code: null,
  failure_message: null,
  created_at: new Date(),
  processing_at: new Date(),
  processed_at: null,
  attached_at: new Date(),
  upload_deleted_at: null,
  ...over,
});

/** A run whose transform refuses the file, over repositories that say what the table holds. */
function setUp(afterRefusal: MediaRow | undefined, markFailed: boolean) {
  const media = {
    find: jest.fn().mockResolvedValueOnce(row({})).mockResolvedValueOnce(afterRefusal),
    markFailed: jest.fn().mockResolvedValue(markFailed),
    markUploadDeleted: jest.fn().mockResolvedValue(undefined),
  };
  const snaps = {
    findByMedia: jest.fn().mockResolvedValue({ id: 's1', viewSeconds: 10 }),
    failPending: jest.fn().mockResolvedValue(undefined),
    deliverPending: jest.fn().mockResolvedValue([]),
    widenViewWindow: jest.fn(),
  };
  const storage = { readBytes: jest.fn().mockResolvedValue(Buffer.from('x')), deleteAll: jest.fn() };
  const processor = {
    process: jest.fn().mockRejectedValue(new DomainError(ErrorCode.MEDIA_CORRUPT, 'The image could not be decoded.')),
  };
  const realtime = { toUser: jest.fn(), deliverSnap: jest.fn() };
  const queues = { schedulePurge: jest.fn() };
  const worker = new MediaProcessProcessor(
    media as unknown as MediaRepository,
    snaps as unknown as SnapsRepository,
    storage as unknown as S3Storage,
    processor as unknown as MediaProcessor,
    realtime as unknown as RealtimePublisher,
    queues as unknown as QueueProducer,
  );
  const job = { attemptsMade: 0, opts: { attempts: 3 } } as unknown as Job;
  return { worker, job, media, snaps, realtime, queues };
}

describe('MediaProcessProcessor', () => {
  it('records a refusal: the uploader is told, the waiting snap fails and is purged now', async () => {
    const { worker, job, snaps, realtime, queues } = setUp(undefined, true);
    expect(await worker.process({ mediaId: 'm1' }, job)).toEqual({ status: 'failed' });
    expect(realtime.toUser).toHaveBeenCalledWith('u1', 'media:failed', expect.objectContaining({ id: 'm1' }));
    expect(snaps.failPending).toHaveBeenCalledWith('s1');
    expect(queues.schedulePurge).toHaveBeenCalledWith('s1', expect.any(Date));
  });

  it('leaves media another run made ready as it is when a late run of the job refuses it', async () => {
    const { worker, job, snaps, realtime, queues } = setUp(row({ status: 'ready', media_key: 'media/k1' }), false);
    expect(await worker.process({ mediaId: 'm1' }, job)).toEqual({ status: 'ready' });
    expect(realtime.toUser).not.toHaveBeenCalledWith('u1', 'media:failed', expect.anything());
    expect(snaps.failPending).not.toHaveBeenCalled();
    expect(queues.schedulePurge).not.toHaveBeenCalled();
    expect(snaps.deliverPending).toHaveBeenCalledWith('s1');
  });
});
