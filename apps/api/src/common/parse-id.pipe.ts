import { Injectable, PipeTransform } from '@nestjs/common';
import { DomainError, ErrorCode } from '@app/contracts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids are opaque: one that cannot exist is simply not found. */
@Injectable()
export class ParseIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!UUID.test(value)) throw new DomainError(ErrorCode.NOT_FOUND, 'No such resource.');
    return value.toLowerCase();
  }
}
