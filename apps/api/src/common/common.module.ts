import { Global, Module } from '@nestjs/common';
import { HttpDrain } from './http-drain';
import { RateLimiter } from './rate-limiter';

@Global()
@Module({ providers: [RateLimiter, HttpDrain], exports: [RateLimiter, HttpDrain] })
export class CommonModule {}
