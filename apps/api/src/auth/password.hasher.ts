import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import * as argon2 from 'argon2';
import { APP_CONFIG, AppConfig } from '@app/config';

/** argon2id with the configured cost; the only importer of the native binding. */
@Injectable()
export class PasswordHasher implements OnModuleInit {
  private readonly options: argon2.Options & { raw?: false };
  /** Verified against when a username is unknown, so both paths cost the same time. */
  private dummyHash = '';

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.options = {
      type: argon2.argon2id,
      memoryCost: config.ARGON2_MEMORY_KIB,
      timeCost: config.ARGON2_TIME_COST,
      parallelism: config.ARGON2_PARALLELISM,
    };
  }

  async onModuleInit(): Promise<void> {
    this.dummyHash = await this.hash('not-a-real-password-but-the-same-cost');
  }

  hash(password: string): Promise<string> {
    return argon2.hash(password, this.options);
  }

  async verify(hash: string | null, password: string): Promise<boolean> {
    try {
      const ok = await argon2.verify(hash ?? this.dummyHash, password);
      return ok && hash !== null;
    } catch {
      return false;
    }
  }
}
