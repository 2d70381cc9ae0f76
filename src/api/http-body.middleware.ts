import express, { type NextFunction, type Request, type Response } from 'express';
import { bodyLimitProblem } from './body-limits.js';
import { errorBody, type ErrorBody } from './error-codes.js';

export const MAX_BODY_BYTES = 64 * 1024;

declare module 'express-serve-static-core' {
  interface Request {
    // The exact bytes received, for webhook signature checks.
    rawBody?: Buffer;
  }
}

const captureRaw = (req: Request, _res: Response, buffer: Buffer) => {
  req.rawBody = buffer;
};
const jsonParser = express.json({ limit: MAX_BODY_BYTES, strict: true, verify: captureRaw });
// Webhooks are read as raw bytes whatever their content type; the gateway adapter parses them.
const rawParser = express.raw({ limit: MAX_BODY_BYTES, type: () => true, verify: captureRaw });

const hasBody = (req: Request) =>
  req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;

// Parses bodies and turns every parsing problem into the contract's error shape.
export function httpBody(req: Request, res: Response, next: NextFunction): void {
  const fail = (body: ErrorBody) => void res.status(body.statusCode).json(body);
  if (req.path.startsWith('/webhooks/')) {
    rawParser(req, res, (error?: unknown) => (error ? fail(parserError(error)) : next()));
    return;
  }
  if (!hasBody(req)) {
    next();
    return;
  }
  if (!req.is('application/json')) {
    fail(errorBody('UNSUPPORTED_MEDIA_TYPE', 'Content-Type must be application/json'));
    return;
  }
  jsonParser(req, res, (error?: unknown) => {
    if (error) return fail(parserError(error));
    if (req.body === null || typeof req.body !== 'object' || Array.isArray(req.body)) {
      return fail(errorBody('VALIDATION_ERROR', 'Request body must be a JSON object'));
    }
    const problem = bodyLimitProblem(req.body);
    if (problem) return fail(errorBody('VALIDATION_ERROR', problem));
    next();
  });
}

function parserError(error: unknown): ErrorBody {
  const type = (error as { type?: string }).type;
  if (type === 'entity.too.large') {
    return errorBody('PAYLOAD_TOO_LARGE', `Request body must be at most ${MAX_BODY_BYTES} bytes`);
  }
  if (type === 'entity.parse.failed') return errorBody('VALIDATION_ERROR', 'Request body is not valid JSON');
  if (type === 'encoding.unsupported' || type === 'charset.unsupported') {
    return errorBody('UNSUPPORTED_MEDIA_TYPE', 'Request body must be UTF-8 JSON');
  }
  return errorBody('VALIDATION_ERROR', 'Request body could not be read');
}
