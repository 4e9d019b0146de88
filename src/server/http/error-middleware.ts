import type { ErrorRequestHandler, RequestHandler } from 'express';
import { AppError, errorBody } from '../errors';
import type { Logger } from '../logger';

/** Express body-parser errors carry a `type`; map the ones bad input causes to 4xx. */
function fromBodyParser(error: unknown): AppError | null {
  if (typeof error !== 'object' || error === null || !('type' in error)) return null;
  switch ((error as { type: unknown }).type) {
    case 'entity.too.large':
      return new AppError('payload_too_large', 'The request body is too large.');
    case 'entity.parse.failed':
      return new AppError('bad_request', 'The request body is not valid JSON.');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new AppError(
        'unsupported_media_type',
        'The request body encoding is not supported: send UTF-8 JSON.',
      );
    case 'request.aborted':
      return new AppError('bad_request', 'The request was aborted before its body arrived.');
    default:
      return null;
  }
}

/** Every error becomes `{ error: { code, message } }`; a bug is logged and answered as 500. */
export function errorMiddleware(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const expected = error instanceof AppError ? error : fromBodyParser(error);
    if (expected) {
      if (expected.status >= 500) logger.error({ err: error, path: req.path }, expected.message);
      res.status(expected.status).json(errorBody(expected));
      return;
    }
    logger.error({ err: error, method: req.method, path: req.path }, 'unhandled error');
    res
      .status(500)
      .json(
        errorBody(new AppError('internal', 'Something went wrong on our side; it was logged.')),
      );
  };
}

export const notFound: RequestHandler = (req, _res, next) => {
  next(new AppError('not_found', `No route for ${req.method} ${req.path}.`));
};
