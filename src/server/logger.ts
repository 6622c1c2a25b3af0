import pino from 'pino';

/** Structured JSON logs on stdout; LOG_LEVEL=silent turns them off (tests). */
export const logger = pino({ level: process.env.LOG_LEVEL ?? 'info', base: undefined });
