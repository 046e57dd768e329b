import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'ephemera:public';

/** Marks a route that needs no access token (register, login, refresh, health, metrics). */
export const Public = () => SetMetadata(IS_PUBLIC, true);
