import { Module } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@app/config';
import { ImageProcessor, MEDIA_OPTIONS, MediaOptions, MediaProcessor, VideoProbe, VideoProcessor } from '@app/media';
import { ExpireUploadProcessor, UploadExpirer } from './expire-upload.processor';
import { MediaProcessProcessor } from './media-process.processor';

@Module({
  providers: [
    {
      provide: MEDIA_OPTIONS,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): Partial<MediaOptions> => ({
        maxImageBytes: config.MEDIA_MAX_IMAGE_BYTES,
        maxVideoBytes: config.MEDIA_MAX_VIDEO_BYTES,
        maxImagePixels: config.MEDIA_MAX_IMAGE_PIXELS,
        maxVideoDurationMs: config.MEDIA_MAX_VIDEO_SECONDS * 1000,
      }),
    },
    VideoProbe,
    ImageProcessor,
    VideoProcessor,
    MediaProcessor,
    MediaProcessProcessor,
    UploadExpirer,
    ExpireUploadProcessor,
  ],
  exports: [UploadExpirer],
})
export class MediaWorkerModule {}
