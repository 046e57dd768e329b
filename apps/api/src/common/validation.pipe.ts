import { ValidationError, ValidationPipe } from '@nestjs/common';
import { DomainError, ErrorCode } from '@app/contracts';

function flatten(errors: ValidationError[], parent = ''): { field: string; problems: string[] }[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = error.constraints ? [{ field, problems: Object.values(error.constraints) }] : [];
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/** DTO validation for every input: unknown fields refused, types checked, details list the fields. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: false,
    exceptionFactory: (errors) =>
      new DomainError(ErrorCode.VALIDATION_FAILED, 'The request is not valid.', { fields: flatten(errors) }),
  });
}
