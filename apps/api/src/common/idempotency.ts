import { createHash } from 'node:crypto';
import {
  applyDecorators,
  CallHandler,
  ExecutionContext,
  Inject,
  Injectable,
  Logger,
  NestInterceptor,
  SetMetadata,
  UseInterceptors,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiHeader } from '@nestjs/swagger';
import { Response } from 'express';
import { catchError, from, mergeMap, Observable, of } from 'rxjs';
import { APP_CONFIG, AppConfig } from '@app/config';
import { DomainError, ErrorCode } from '@app/contracts';
import { RedisService } from '@app/redis';
import { AuthedRequest } from '../auth/auth.types';

/** How long (seconds) a request's answer is kept for its key, from the configuration and the answer. */
export type IdempotencyWindow = (config: AppConfig, answer: unknown) => number;

const WINDOW = 'ephemera:idempotency-window';
/** Visible ASCII, as HTTP headers carry it; a UUID is the usual choice. */
const KEY_FORMAT = /^[\x21-\x7e]{1,255}$/;
/**
 * How long a request in progress holds its key: longer than any request runs. A retry
 * meanwhile is told to wait; if the process died mid-request, the key frees itself.
 */
const IN_PROGRESS_SECONDS = 60;

interface Slot {
  fingerprint: string;
  done?: true;
  body?: unknown;
}

/**
 * Makes a write safe to repeat: a request carrying an `Idempotency-Key` header runs
 * once per caller and key, and a repeat within `window` seconds gets the first answer
 * again (with `Idempotent-Replayed: true`) instead of acting twice. Only successes are
 * kept: a request that failed runs again when repeated.
 */
export function Idempotent(window: IdempotencyWindow, kept: string): MethodDecorator {
  return applyDecorators(
    SetMetadata(WINDOW, window),
    UseInterceptors(IdempotencyInterceptor),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description:
        `Optional, 1–255 visible ASCII characters (a UUID). Repeating the request with the same key ${kept} ` +
        'gets the first answer again, with `Idempotent-Replayed: true`, and does not act twice; a failed ' +
        'request runs again. While the first is still running: 409 REQUEST_IN_PROGRESS with Retry-After. ' +
        'The same key with another body: 422 IDEMPOTENCY_KEY_REUSED.',
    }),
  );
}

@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly logger = new Logger(IdempotencyInterceptor.name);

  constructor(
    private readonly reflector: Reflector,
    private readonly redis: RedisService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const request = context.switchToHttp().getRequest<AuthedRequest>();
    const key = request.headers['idempotency-key'];
    if (key === undefined) return next.handle();
    if (typeof key !== 'string' || !KEY_FORMAT.test(key)) {
      throw new DomainError(ErrorCode.VALIDATION_FAILED, 'The request is not valid.', {
        fields: [{ field: 'Idempotency-Key', problems: ['must be 1–255 visible ASCII characters'] }],
      });
    }
    const window = this.reflector.get<IdempotencyWindow>(WINDOW, context.getHandler());
    // Scoped to the caller and the request's path: one user's key never meets another's.
    const slotKey = `idempotency:${digest([request.auth.userId, request.method, request.path, key].join('\n'))}`;
    const fingerprint = digest(JSON.stringify(request.body ?? null));

    const pending: Slot = { fingerprint };
    const claimed = await this.redis.client.set(slotKey, JSON.stringify(pending), 'EX', IN_PROGRESS_SECONDS, 'NX');
    if (claimed === null) return of(this.replay(slotKey, await this.redis.client.get(slotKey), fingerprint, context));

    return next.handle().pipe(
      mergeMap((body) =>
        from(this.keep(slotKey, { fingerprint, done: true, body }, () => window(this.config, body)).then(() => body)),
      ),
      catchError((error: unknown) =>
        from(
          this.redis.client
            .del(slotKey)
            .catch(() => undefined)
            .then(() => Promise.reject(error)),
        ),
      ),
    );
  }

  private replay(slotKey: string, raw: string | null, fingerprint: string, context: ExecutionContext): unknown {
    const slot = raw === null ? null : (JSON.parse(raw) as Slot);
    if (slot && slot.fingerprint !== fingerprint) {
      throw new DomainError(
        ErrorCode.IDEMPOTENCY_KEY_REUSED,
        'This Idempotency-Key was used for another request; use a new key for each request.',
      );
    }
    if (!slot?.done) {
      // Running (or just ended in a failure that freed the key): the client tries again shortly.
      throw new DomainError(ErrorCode.REQUEST_IN_PROGRESS, 'A request with this Idempotency-Key is still running.', {
        retryAfterSeconds: 1,
      });
    }
    context.switchToHttp().getResponse<Response>().setHeader('Idempotent-Replayed', 'true');
    this.logger.debug({ slot: slotKey }, 'idempotent request replayed');
    return slot.body;
  }

  /**
   * Keeps the answer for `seconds` (an answer with nothing left to keep frees the key); if
   * Redis fails now, the answer still goes out (the request did act).
   */
  private async keep(slotKey: string, slot: Slot, seconds: () => number): Promise<void> {
    try {
      const ms = Math.floor(seconds() * 1000);
      if (ms > 0) await this.redis.client.set(slotKey, JSON.stringify(slot), 'PX', ms);
      else await this.redis.client.del(slotKey);
    } catch (error) {
      this.logger.warn({ err: error }, 'could not keep an idempotent answer; a repeat within a minute is told to wait');
    }
  }
}

const digest = (text: string) => createHash('sha256').update(text).digest('base64url');
