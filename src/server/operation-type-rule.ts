import { GraphQLError, OperationTypeNode, type OperationDefinitionNode, type ValidationRule } from 'graphql';

/**
 * Refuses an operation of a kind the schema has no root type for (this schema has no mutations) at
 * validation, a 400 the client can read, where graphql-js 16 only fails it at execution ("Schema
 * is not configured to execute mutation operation", a 200 coded INTERNAL_SERVER_ERROR).
 */
export const operationTypeRule: ValidationRule = (ctx) => ({
  OperationDefinition(op: OperationDefinitionNode) {
    const schema = ctx.getSchema();
    const root =
      op.operation === OperationTypeNode.MUTATION
        ? schema.getMutationType()
        : op.operation === OperationTypeNode.SUBSCRIPTION
          ? schema.getSubscriptionType()
          : schema.getQueryType();
    if (!root) ctx.reportError(new GraphQLError(`this API has no ${op.operation} operations`, { nodes: op }));
  },
});
