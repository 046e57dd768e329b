import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { AuthContext, AuthedRequest } from './auth.types';

/** The caller of an authenticated route. */
export const CurrentAuth = createParamDecorator(
  (_: unknown, context: ExecutionContext): AuthContext => context.switchToHttp().getRequest<AuthedRequest>().auth,
);
