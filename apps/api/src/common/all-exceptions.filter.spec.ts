import { BadRequestException, NotFoundException } from '@nestjs/common';
import { DomainError, ErrorCode } from '@app/contracts';
import { toApiError } from './all-exceptions.filter';

describe('toApiError', () => {
  it('lists a field for a 400 the framework raised, as API.md asks of every VALIDATION_FAILED', () => {
    expect(toApiError(new BadRequestException('Unexpected field'))).toEqual({
      code: ErrorCode.VALIDATION_FAILED,
      message: 'Unexpected field',
      details: { fields: [{ field: 'request', problems: ['Unexpected field'] }] },
    });
  });

  it('keeps the other framework errors without details', () => {
    expect(toApiError(new NotFoundException())).toEqual({ code: ErrorCode.NOT_FOUND, message: 'No such resource.' });
  });

  it('passes domain errors through with their details', () => {
    const error = new DomainError(ErrorCode.NOT_FRIENDS, 'Not friends.', { userIds: ['u'] });
    expect(toApiError(error)).toMatchObject({ code: ErrorCode.NOT_FRIENDS, details: { userIds: ['u'] } });
  });
});
