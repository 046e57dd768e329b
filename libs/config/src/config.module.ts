import { DynamicModule, Global, Module } from '@nestjs/common';
import { AppConfig } from './config.schema';
import { loadConfig } from './load-config';

export const APP_CONFIG = Symbol('APP_CONFIG');

/**
 * Provides the validated configuration under APP_CONFIG. The apps load it before
 * Nest boots (to fail fast with one line) and hand it in here; nothing else in
 * the code base reads process.env.
 */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: AppConfig = loadConfig()): DynamicModule {
    return {
      module: ConfigModule,
      providers: [{ provide: APP_CONFIG, useValue: config }],
      exports: [APP_CONFIG],
    };
  }
}
