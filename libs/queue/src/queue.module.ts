import { Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { QueueProducer } from './queue.producer';
import { WorkerHost } from './worker-host';

/** Producers for every process that enqueues (API and worker). */
@Global()
@Module({ providers: [QueueProducer], exports: [QueueProducer] })
export class QueueModule {}

/** The job runner; imported by the worker app only. */
@Module({ imports: [DiscoveryModule], providers: [WorkerHost] })
export class WorkerHostModule {}
