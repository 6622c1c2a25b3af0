import { GraphQLError } from 'graphql';

/** A client mistake: Apollo reports it with code BAD_USER_INPUT. */
export function badInput(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });
}
