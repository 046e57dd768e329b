import type { NextFunction, Request, Response } from 'express';
import { json } from 'express';
import { ErrorCode } from '@app/contracts';
import { sendError } from './error-response';

interface BodyParserError extends Error {
  type?: string;
  status?: number;
}

/** VALIDATION_FAILED's details, as API.md has them, for a body that is wrong as a whole. */
const bodyProblem = (problem: string) => ({ fields: [{ field: 'body', problems: [problem] }] });

/**
 * Far deeper than any body the API takes. A deeper one (a few kilobytes of brackets) would only
 * run the validators' recursion out of stack, so it is refused before they see it.
 */
export const MAX_JSON_DEPTH = 32;

/** Whether `value` nests objects or arrays more than `max` deep; walked without recursion. */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    if (depth > max) return true;
    for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
  return false;
}

/**
 * Parses JSON bodies up to `limit` and answers parser failures in API.md's
 * shape. Body parsing runs before Nest's router, so its errors never reach the
 * exception filter; they are mapped here instead.
 */
export function jsonBody(limit: string) {
  const parse = json({ limit, strict: true });
  return (req: Request, res: Response, next: NextFunction) =>
    parse(req, res, (error?: unknown) => {
      if (!error) {
        if (!nestsDeeperThan(req.body, MAX_JSON_DEPTH)) return next();
        return sendError(req, res, {
          code: ErrorCode.VALIDATION_FAILED,
          message: `The request body nests deeper than ${MAX_JSON_DEPTH} levels.`,
          details: bodyProblem(`nests deeper than ${MAX_JSON_DEPTH} levels`),
        });
      }
      const e = error as BodyParserError;
      if (e.type === 'entity.too.large') {
        return sendError(req, res, {
          code: ErrorCode.PAYLOAD_TOO_LARGE,
          message: `The request body is larger than ${limit}.`,
        });
      }
      if (e.type === 'entity.parse.failed') {
        return sendError(req, res, {
          code: ErrorCode.VALIDATION_FAILED,
          message: 'The request body is not valid JSON.',
          details: bodyProblem('is not valid JSON'),
        });
      }
      if (e.type === 'encoding.unsupported' || e.type === 'charset.unsupported') {
        return sendError(req, res, {
          code: ErrorCode.UNSUPPORTED_MEDIA_TYPE,
          message: 'The request body must be UTF-8 JSON.',
        });
      }
      return sendError(req, res, {
        code: ErrorCode.VALIDATION_FAILED,
        message: 'The request body could not be read.',
        details: bodyProblem('could not be read'),
      });
    });
}
