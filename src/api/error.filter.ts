import { Catch, HttpException, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DomainError } from '../domain/errors.js';
import { errorBody, errorCodeForStatus, type ErrorBody } from './error-codes.js';
import { logger } from '../logging/logger.js';

// Every error leaves the service as { statusCode, error, message }; nothing internal leaks.
@Catch()
export class ErrorFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const body = toErrorBody(exception, request);
    if (body.statusCode >= 500) {
      // Expected failures (a gateway down) need no stack; anything else does.
      const expected = exception instanceof DomainError;
      const log = expected ? logger.warn.bind(logger) : logger.error.bind(logger);
      log('request failed', {
        method: request.method,
        path: request.path,
        status: body.statusCode,
        error: expected ? exception.message : describe(exception),
      });
    }
    // Explicitly JSON: a route's own Content-Type (the mock page's text/html) must not label the error.
    http.getResponse<Response>().status(body.statusCode).type('application/json').json(body);
  }
}

export function toErrorBody(exception: unknown, request: Pick<Request, 'method' | 'path'>): ErrorBody {
  if (exception instanceof DomainError) return errorBody(exception.code, exception.message);
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const code = errorCodeForStatus(status);
    if (code === 'NOT_FOUND') return errorBody(code, `Route not found: ${request.method} ${request.path}`);
    if (code !== 'INTERNAL_ERROR') return errorBody(code, exception.message);
  }
  return errorBody('INTERNAL_ERROR', 'Internal server error');
}

function describe(exception: unknown): string {
  return exception instanceof Error ? `${exception.name}: ${exception.message}\n${exception.stack ?? ''}` : String(exception);
}
