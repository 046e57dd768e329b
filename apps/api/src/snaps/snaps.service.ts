import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@app/config';
import { DomainError, ErrorCode } from '@app/contracts';
import { MediaRepository, SnapsRepository } from '@app/database';
import { QueueProducer } from '@app/queue';
import { RealtimePublisher } from '@app/realtime';
import { S3Storage } from '@app/storage';
import { decodeCursor, Page, toPage } from '../common/pagination';
import { InboxItemView, OpenedSnapView, SentItemView, SentSnapView } from './dto/snaps.dto';

const notFound = () => new DomainError(ErrorCode.NOT_FOUND, 'No such snap.');
const uploadExpired = () =>
  new DomainError(ErrorCode.UPLOAD_EXPIRED, 'The upload expired before it was sent; upload the file again.');

/**
 * Sending, delivering, opening once, screenshots and withdrawal. Media URLs are
 * issued by `open` only; nothing else carries a URL or a storage key.
 */
@Injectable()
export class SnapsService {
  private readonly logger = new Logger(SnapsService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly snaps: SnapsRepository,
    private readonly media: MediaRepository,
    private readonly storage: S3Storage,
    private readonly queues: QueueProducer,
    private readonly realtime: RealtimePublisher,
  ) {}

  async send(
    senderId: string,
    input: { mediaId: string; recipientIds: string[]; viewSeconds?: number; caption?: string },
  ): Promise<SentSnapView> {
    const recipientIds = input.recipientIds.map((id) => id.toLowerCase());
    if (recipientIds.includes(senderId)) {
      throw new DomainError(ErrorCode.VALIDATION_FAILED, 'You cannot send a snap to yourself.', {
        fields: [{ field: 'recipientIds', problems: ['contains your own id'] }],
      });
    }
    const outcome = await this.snaps.send({
      senderId,
      mediaId: input.mediaId.toLowerCase(),
      recipientIds,
      viewSeconds: input.viewSeconds ?? 10,
      caption: input.caption ?? null,
      ttlSeconds: this.config.SNAP_TTL_SECONDS,
    });
    switch (outcome.kind) {
      case 'media-missing':
        // An upload deleted because it expired is named as such, as by the media endpoints.
        if (await this.media.wasExpired(input.mediaId.toLowerCase(), senderId)) throw uploadExpired();
        throw new DomainError(ErrorCode.NOT_FOUND, 'No such media.');
      case 'media-expired':
        throw uploadExpired();
      case 'media-not-ready': {
        const messages = {
          uploading: 'The media has not been uploaded completely yet.',
          failed: 'The media was refused; upload another file.',
          used: 'This media was already sent in another snap.',
        };
        throw new DomainError(ErrorCode.MEDIA_NOT_READY, messages[outcome.reason], { reason: outcome.reason });
      }
      case 'not-friends':
        throw new DomainError(ErrorCode.NOT_FRIENDS, 'Snaps go to friends only.', { recipientIds: outcome.userIds });
    }
    const { snap, recipients } = outcome;
    // Enqueued after the transaction committed; if Redis loses it, the sweep still finds the deadline.
    await this.schedulePurge(snap.id, snap.purgeAfter);
    this.realtime.deliverSnap(
      snap,
      recipients.filter((r) => r.state === 'delivered').map((r) => r.userId),
    );
    return {
      id: snap.id,
      sentAt: snap.sentAt.toISOString(),
      expiresAt: snap.expiresAt.toISOString(),
      recipients,
    };
  }

  async inbox(recipientId: string, limit: number, cursor?: string): Promise<Page<InboxItemView>> {
    const rows = await this.snaps.inbox(recipientId, limit, decodeCursor(cursor));
    return toPage(
      rows,
      limit,
      (r) => ({ at: r.sentAt, id: r.id }),
      (r) => ({
        id: r.id,
        sender: { id: r.senderId, username: r.senderUsername },
        kind: r.kind,
        viewSeconds: r.viewSeconds,
        sentAt: r.sentAt.toISOString(),
        expiresAt: r.expiresAt.toISOString(),
        state: r.state,
      }),
    );
  }

  async sent(senderId: string, limit: number, cursor?: string): Promise<Page<SentItemView>> {
    const rows = await this.snaps.sent(senderId, limit, decodeCursor(cursor));
    const recipients = await this.snaps.recipientsOf(rows.slice(0, limit).map((r) => r.id));
    const iso = (d: Date | null) => (d ? d.toISOString() : null);
    return toPage(
      rows,
      limit,
      (r) => ({ at: r.sentAt, id: r.id }),
      (r) => ({
        id: r.id,
        kind: r.kind,
        viewSeconds: r.viewSeconds,
        sentAt: r.sentAt.toISOString(),
        expiresAt: r.expiresAt.toISOString(),
        purged: r.purgedAt !== null,
        recipients: recipients
          .filter((x) => x.snapId === r.id)
          .map((x) => ({
            userId: x.recipientId,
            username: x.username,
            state: x.state,
            deliveredAt: iso(x.deliveredAt),
            openedAt: iso(x.openedAt),
            screenshotAt: iso(x.screenshotAt),
          })),
      }),
    );
  }

  /** Opens a snap once: the conditional update decides; the loser learns why. */
  async open(recipientId: string, snapId: string): Promise<OpenedSnapView> {
    const opened = await this.snaps.open(snapId, recipientId, this.config.VIEW_GRACE_SECONDS);
    if (!opened) throw await this.whyNotOpen(recipientId, snapId);
    const { snap, openedAt, lastAccessEnd } = opened;
    const media = snap.mediaId ? await this.media.find(snap.mediaId) : undefined;
    if (!media || media.status !== 'ready' || !media.media_key || !media.content_type) {
      throw new DomainError(ErrorCode.SNAP_EXPIRED, 'This snap is no longer available.');
    }
    // A URL never outlives this recipient's access (the view window and its grace) or the snap.
    const { viewSeconds } = snap;
    const accessEnd = Math.min(
      snap.expiresAt.getTime(),
      openedAt.getTime() + (viewSeconds + this.config.VIEW_GRACE_SECONDS) * 1000,
    );
    const ttl = Math.max(1, Math.min(this.config.SNAP_URL_TTL_SECONDS, Math.floor((accessEnd - Date.now()) / 1000)));
    const urlExpiresAt = new Date(Date.now() + ttl * 1000).toISOString();
    const [url, posterUrl] = await Promise.all([
      this.storage.presignGet(media.media_key, { expiresIn: ttl, contentType: media.content_type }),
      media.poster_key
        ? this.storage.presignGet(media.poster_key, { expiresIn: ttl, contentType: 'image/jpeg' })
        : null,
    ]);
    if (lastAccessEnd) await this.schedulePurge(snap.id, lastAccessEnd);
    this.realtime.toUser(snap.senderId, 'snap:opened', {
      id: snap.id,
      recipientId,
      openedAt: openedAt.toISOString(),
    });
    return {
      id: snap.id,
      kind: snap.kind,
      viewSeconds,
      ...(snap.caption ? { caption: snap.caption } : {}),
      media: {
        url,
        contentType: media.content_type,
        width: media.width ?? 0,
        height: media.height ?? 0,
        ...(media.duration_ms !== null ? { durationMs: media.duration_ms } : {}),
        expiresAt: urlExpiresAt,
      },
      ...(posterUrl ? { poster: { url: posterUrl, contentType: 'image/jpeg', expiresAt: urlExpiresAt } } : {}),
    };
  }

  private async whyNotOpen(recipientId: string, snapId: string): Promise<DomainError> {
    const found = await this.snaps.recipientView(snapId, recipientId);
    // Recipients never see a snap whose media is still processing or was refused.
    if (!found || found.state === 'pending' || found.state === 'failed') return notFound();
    if (found.state === 'opened') {
      return new DomainError(ErrorCode.SNAP_ALREADY_OPENED, 'You have already opened this snap.');
    }
    return new DomainError(ErrorCode.SNAP_EXPIRED, 'This snap has expired.');
  }

  async screenshot(recipientId: string, snapId: string): Promise<void> {
    const found = await this.snaps.recipientView(snapId, recipientId);
    if (!found || found.state === 'pending' || found.state === 'failed') throw notFound();
    if (!found.openedAt) throw new DomainError(ErrorCode.FORBIDDEN, 'Only a snap you opened can be screenshotted.');
    const at = await this.snaps.recordScreenshot(snapId, recipientId);
    if (at) {
      this.realtime.toUser(found.snap.senderId, 'snap:screenshot', { id: snapId, recipientId, at: at.toISOString() });
    }
  }

  /** The sender withdraws a snap: unopenable at once, and purged now by the expiry engine. */
  async withdraw(senderId: string, snapId: string): Promise<void> {
    if (!(await this.snaps.markWithdrawn(snapId, senderId))) throw notFound();
    await this.schedulePurge(snapId, new Date());
  }

  /**
   * The purge job of a snap: one per snap (deterministic id), moved earlier, never duplicated.
   * The fast path only: the deadline is already in PostgreSQL, so when Redis cannot take the
   * job the sweep purges the snap, and the request that changed it still succeeds (the open
   * it answers happened; a retry would find the snap opened).
   */
  private async schedulePurge(snapId: string, at: Date): Promise<void> {
    try {
      await this.queues.schedulePurge(snapId, at);
    } catch (error) {
      this.logger.warn({ err: error, snapId }, 'could not schedule the purge job; the sweep will purge the snap');
    }
  }
}
