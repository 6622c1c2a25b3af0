// Shared by `serve` and the primary of `serve --workers` (which must not load the server's code).
import type { Server } from 'node:http';
import { CliFailure } from './cli-error';

/**
 * Listens on the port, or rejects with one line saying why (a port in use: EADDRINUSE). The error
 * listeners already on the server (the WebSocket server's, which would log and rethrow a listen
 * error with two stacks) are set aside until it listens: that error is the CLI's to report.
 */
export async function listen(httpServer: Server, port: number): Promise<void> {
  const others = httpServer.rawListeners('error') as ((err: Error) => void)[];
  httpServer.removeAllListeners('error');
  try {
    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(port, () => {
        httpServer.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    throw listenFailure(port, err);
  } finally {
    for (const l of others) httpServer.on('error', l);
  }
}

/** `port 4000 is already in use (EADDRINUSE)`, as a CliFailure; another error as it is. */
export function listenFailure(port: number, err: unknown): Error {
  const code = (err as NodeJS.ErrnoException)?.code;
  if (code === 'EADDRINUSE') return new CliFailure(`port ${port} is already in use (EADDRINUSE)`);
  if (code === 'EACCES') return new CliFailure(`port ${port}: permission denied (EACCES)`);
  if (typeof code === 'string') return new CliFailure(`port ${port}: ${(err as Error).message}`);
  return err instanceof Error ? err : new Error(String(err));
}
