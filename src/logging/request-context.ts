import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { logger } from './logger.js';
import { runWithRequestId } from './request-id.js';

const SAFE_ID = /^[A-Za-z0-9._:-]{8,128}$/;

// Every log line of a request carries its id (the caller's X-Request-Id if sane, else a new
// one), echoed back in the response; one access line per request with status and duration.
export function requestContext(req: Request, res: Response, next: NextFunction): void {
  const incoming = req.header('x-request-id');
  const requestId = incoming && SAFE_ID.test(incoming) ? incoming : randomUUID();
  res.setHeader('X-Request-Id', requestId);
  const started = process.hrtime.bigint();
  runWithRequestId(requestId, () => {
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      logger.info('request', { method: req.method, path: req.path, status: res.statusCode, ms: Math.round(ms * 10) / 10 });
    });
    next();
  });
}
