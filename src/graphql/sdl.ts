import { printSchema } from 'graphql';
import { buildNewsgraphSchema } from './schema';

/** The SDL checked in at schema/schema.graphql (`npm run schema` writes it; a test fails on drift). */
export function schemaSdl(): string {
  return `# Generated from src/graphql by \`npm run schema\`. Do not edit.\n\n${printSchema(buildNewsgraphSchema())}\n`;
}
