import { GraphQLError } from 'graphql';

/** A client mistake: Apollo reports it with code BAD_USER_INPUT. */
export function badInput(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });
}

/**
 * A change-feed cursor the feed cannot continue from (expired, or another feed's): the client must
 * re-sync, which the message says how to do.
 */
export function changesCursorExpired(why: string): GraphQLError {
  return new GraphQLError(
    `${why}; re-sync: read \`changes { headCursor }\`, then every post through \`posts\`, then follow \`changes(after:)\` from that headCursor`,
    { extensions: { code: 'CHANGES_CURSOR_EXPIRED' } },
  );
}
