import type { LogParser, RunIdentity, RunLogResult } from './log-parser';
import type { LogFormat, RunHistory } from './run-history';

/** JSON logs are parsed whole: larger than this, they are not read (a training's history is kilobytes). */
export const MAX_JSON_LOG_BYTES = 64 * 1024 * 1024;

const NON_FINITE: Record<string, number> = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity };
const SENTINEL = '\u0000dl-doctor-non-finite:';

/**
 * JSON.parse that also takes the `NaN`, `Infinity` and `-Infinity` Python's `json.dump` writes
 * by default (`allow_nan=True`), e.g. a diverged loss in trainer_state.json.
 */
export function parsePythonJson(text: string): unknown {
  if (!text.includes('NaN') && !text.includes('Infinity')) return JSON.parse(text);
  let out = '';
  let from = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
      continue;
    }
    if (c === 34) {
      inString = true;
      continue;
    }
    for (const token of ['NaN', 'Infinity', '-Infinity']) {
      if (text.startsWith(token, i)) {
        out += text.slice(from, i) + JSON.stringify(SENTINEL + token);
        i += token.length - 1;
        from = i + 1;
        break;
      }
    }
  }
  out += text.slice(from);
  return JSON.parse(out, (_key, value: unknown) => (typeof value === 'string' && value.startsWith(SENTINEL) ? NON_FINITE[value.slice(SENTINEL.length)] : value));
}

/**
 * A JSON log: bytes gathered up to MAX_JSON_LOG_BYTES, parsed when asked for the result. Loggers
 * rewrite these files whole (they are not appended to), so a growing-log cursor re-reads them.
 */
export class JsonLogParser implements LogParser {
  private chunks: Buffer[] = [];
  private size = 0;

  constructor(
    readonly format: LogFormat,
    private readonly identity: RunIdentity,
    private readonly interpret: (json: unknown, identity: RunIdentity) => RunLogResult,
  ) {}

  push(bytes: Buffer): void {
    this.size += bytes.length;
    if (this.size <= MAX_JSON_LOG_BYTES) this.chunks.push(Buffer.from(bytes));
    else this.chunks = [];
  }

  result(_complete: boolean): RunLogResult {
    const where = this.identity.source;
    if (this.size > MAX_JSON_LOG_BYTES) return { ok: false, error: `${where}: ${(this.size / 2 ** 20).toFixed(1)} MiB of JSON, more than ${MAX_JSON_LOG_BYTES / 2 ** 20} MiB: not read` };
    let json: unknown;
    try {
      json = parsePythonJson(Buffer.concat(this.chunks).toString('utf8').replace(/^\ufeff/, ''));
    } catch (error) {
      return { ok: false, error: `${where}: not valid JSON (${error instanceof Error ? error.message : String(error)})` };
    }
    return this.interpret(json, this.identity);
  }
}

export function emptyRun(identity: RunIdentity, format: LogFormat): RunHistory {
  return { source: identity.source, format, run: identity.run, series: [], warnings: [] };
}
