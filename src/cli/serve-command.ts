export async function runServe(_o: { db?: string; port?: number }): Promise<void> {
  throw new Error('serve: not built yet');
}
