import type { LoggerService } from '@nestjs/common';
import { maskPii } from '../domain/mask.js';
import { currentRequestScope } from './request-id.js';

type Level = 'debug' | 'info' | 'warn' | 'error';
const RANK: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

// Structured JSON lines on stdout (CloudWatch-friendly); every line passes through PII masking.
class JsonLogger {
  private threshold: number = RANK.info;

  setLevel(level: Level): void {
    this.threshold = RANK[level];
  }

  debug(message: string, fields?: Record<string, unknown>): void {
    this.write('debug', message, fields);
  }
  info(message: string, fields?: Record<string, unknown>): void {
    this.write('info', message, fields);
  }
  warn(message: string, fields?: Record<string, unknown>): void {
    this.write('warn', message, fields);
  }
  error(message: string, fields?: Record<string, unknown>): void {
    this.write('error', message, fields);
  }

  private write(level: Level, message: string, fields?: Record<string, unknown>): void {
    if (RANK[level] < this.threshold) return;
    const scope = currentRequestScope();
    const about = { ...(scope?.appId ? { appId: scope.appId } : {}), ...(scope?.referenceId ? { referenceId: scope.referenceId } : {}) };
    const line = JSON.stringify({ level, time: new Date().toISOString(), requestId: scope?.requestId, ...about, message, ...fields });
    process.stdout.write(`${maskPii(line)}\n`);
  }
}

export const logger = new JsonLogger();

// Routes Nest's own log output through the same JSON logger.
export const nestLogger: LoggerService = {
  log: (message: unknown, context?: unknown) => logger.debug(String(message), { context }),
  warn: (message: unknown, context?: unknown) => logger.warn(String(message), { context }),
  error: (message: unknown, trace?: unknown, context?: unknown) => logger.error(String(message), { trace, context }),
  debug: (message: unknown, context?: unknown) => logger.debug(String(message), { context }),
  verbose: (message: unknown, context?: unknown) => logger.debug(String(message), { context }),
};
