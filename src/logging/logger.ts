/**
 * Structured JSON-lines logger. Every line carries a timestamp, a level and a message; request-scoped
 * children add the request id. A redaction pass runs on every line as a last line of defence: keys that
 * name images, embeddings or ID numbers are never written in clear, and long strings (base64) are
 * replaced by their length.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { maskIdNumber } from '../registry/mask.ts';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** A logger whose lines all carry `bindings` (e.g. { request_id }). */
  child(bindings: LogFields): Logger;
}

/** Where finished lines go; one call per line, without the trailing newline. */
export type LogSink = (line: string) => void;

const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Keys whose values are dropped outright (images, embeddings, secrets). */
const DROP_KEYS = /^(selfie|photo|image_bytes|bytes|embedding|embeddings|authorization|api_key|key|password|secret)$/i;
/** Keys whose values are ID numbers: masked, never in clear. */
const ID_KEYS = /^(id_number|idnumber|nin|bvn|dni)$/i;
/** Strings longer than this are not logged (a base64 image would be far longer). */
const MAX_STRING = 256;

function redactValue(key: string, value: unknown, depth: number): unknown {
  if (DROP_KEYS.test(key)) return '[redacted]';
  if (ID_KEYS.test(key)) return typeof value === 'string' ? maskIdNumber(value) : '[redacted]';
  if (typeof value === 'string') return value.length > MAX_STRING ? `[omitted ${value.length} chars]` : value;
  if (value instanceof Uint8Array || value instanceof Float32Array || ArrayBuffer.isView(value)) return '[omitted binary]';
  if (value instanceof Error) return { name: value.name, message: redactValue('message', value.message, depth + 1) };
  if (value && typeof value === 'object') {
    if (depth >= 4) return '[omitted depth]';
    if (Array.isArray(value)) return value.slice(0, 20).map((v) => redactValue('', v, depth + 1));
    const out: LogFields = {};
    for (const [k, v] of Object.entries(value as LogFields)) out[k] = redactValue(k, v, depth + 1);
    return out;
  }
  return value;
}

/**
 * Fields bound to the current asynchronous context (the request id while a request is handled), so
 * collaborators that log through a long-lived logger (registry adapters) still tag their lines.
 */
const logContext = new AsyncLocalStorage<LogFields>();

export function runWithLogContext<T>(fields: LogFields, fn: () => T): T {
  return logContext.run({ ...logContext.getStore(), ...fields }, fn);
}

export function redact(fields: LogFields): LogFields {
  const out: LogFields = {};
  for (const [k, v] of Object.entries(fields)) out[k] = redactValue(k, v, 0);
  return out;
}

export interface LoggerOptions {
  level?: LogLevel;
  sink?: LogSink;
  now?: () => Date;
  bindings?: LogFields;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const min = LEVELS[options.level ?? 'info'];
  const sink: LogSink = options.sink ?? ((line) => process.stdout.write(line + '\n'));
  const now = options.now ?? (() => new Date());
  const bindings = options.bindings ?? {};
  const write = (level: LogLevel, msg: string, fields?: LogFields) => {
    if (LEVELS[level] < min) return;
    const line = { ts: now().toISOString(), level, msg, ...redact({ ...logContext.getStore(), ...bindings, ...fields }) };
    sink(JSON.stringify(line));
  };
  return {
    debug: (msg, fields) => write('debug', msg, fields),
    info: (msg, fields) => write('info', msg, fields),
    warn: (msg, fields) => write('warn', msg, fields),
    error: (msg, fields) => write('error', msg, fields),
    child: (more) => createLogger({ ...options, sink, now, bindings: { ...bindings, ...more } }),
  };
}

/** A logger that keeps its lines in memory (tests, diagnostics). */
export function createMemoryLogger(level: LogLevel = 'debug'): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  return { logger: createLogger({ level, sink: (line) => lines.push(line) }), lines };
}
