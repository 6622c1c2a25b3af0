import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { logger } from './logger';

/**
 * What a client sees of an error. GraphQL errors are the client's (syntax, validation, limits,
 * BAD_USER_INPUT) and pass as they are. Anything else thrown while executing is ours (a bug, the
 * database gone or locked): its message can name files, tables or SQL, so the client gets
 * `internal error` with the path, and the log gets the whole error. Stack traces never leave the
 * server (app.ts turns them off whatever NODE_ENV says).
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  // Apollo wraps what a resolver or a plugin threw in GraphQLErrors: the innermost error says whose it is.
  let original = unwrapResolverError(error);
  while (original instanceof GraphQLError && original.originalError) original = original.originalError;
  if (original instanceof GraphQLError) {
    // Apollo leaves some of the client's mistakes without a code (a persisted query version it
    // does not know), which then reads INTERNAL_SERVER_ERROR; their 4xx status says whose they are.
    const status = (original.extensions?.http as { status?: unknown } | undefined)?.status;
    const clients = typeof status === 'number' && status >= 400 && status < 500;
    if (clients && formatted.extensions?.code === 'INTERNAL_SERVER_ERROR')
      return { ...formatted, extensions: { ...formatted.extensions, code: 'BAD_REQUEST' } };
    return formatted;
  }
  logger.error({ err: original, path: formatted.path }, 'resolver failed');
  return {
    message: 'internal error',
    locations: formatted.locations,
    path: formatted.path,
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  };
}
