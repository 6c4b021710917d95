import type { LogFields, Logger } from '../shared/log.js';

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 } as const;
export type LogLevel = keyof typeof LEVELS;

/** JSON lines on stdout/stderr: one event a line, easy to grep and to ship. */
export function createLogger(level: LogLevel, base: LogFields = {}, out: (line: string, isError: boolean) => void = defaultOut): Logger {
  const min = LEVELS[level];
  const write = (lvl: Exclude<LogLevel, 'silent'>, msg: string, fields?: LogFields) => {
    if (LEVELS[lvl] < min) return;
    const rec: LogFields = { t: new Date().toISOString(), level: lvl, msg, ...base, ...fields };
    if (rec.err instanceof Error) rec.err = { message: rec.err.message, stack: rec.err.stack };
    out(JSON.stringify(rec), LEVELS[lvl] >= LEVELS.warn);
  };
  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
    child: (f) => createLogger(level, { ...base, ...f }, out),
  };
}

function defaultOut(line: string, isError: boolean) {
  (isError ? process.stderr : process.stdout).write(line + '\n');
}
