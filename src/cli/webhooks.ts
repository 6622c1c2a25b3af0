import type { DataSource } from 'typeorm';
import { changePage } from '../db/queries/changes';
import { primaryRunnerOf } from '../db/store';
import { toGlobalId } from '../graphql/relay/node-id';
import { WebhookDeliverer } from '../server/webhooks/webhook-deliverer';
import { UsageError } from '../config/usage-error';

const SECRET_ENV = 'NEWSGRAPH_WEBHOOK_SECRET';

/** `--webhook` values: http(s) URLs, and the secret that signs for them; checked before anything starts. */
export function webhookSettings(urls: string[] | undefined, env: NodeJS.ProcessEnv = process.env) {
  if (!urls?.length) return null;
  for (const u of urls) {
    let parsed: URL | null = null;
    try {
      parsed = new URL(u);
    } catch {
      // reported below
    }
    if (!parsed || !['http:', 'https:'].includes(parsed.protocol))
      throw new UsageError(`--webhook ${u}: expected an http:// or https:// URL`);
  }
  const secret = env[SECRET_ENV];
  if (!secret) throw new UsageError(`--webhook needs ${SECRET_ENV}: the secret every delivery is signed with`);
  return { urls: [...new Set(urls)], secret };
}

/** Starts delivering the change feed to the webhooks over `ds` (one process per database does this). */
export function startWebhooks(ds: DataSource, settings: NonNullable<ReturnType<typeof webhookSettings>>) {
  const d = new WebhookDeliverer({
    ...settings,
    feed: changePage,
    runner: primaryRunnerOf(ds),
    globalId: (id) => toGlobalId('Post', id),
  });
  d.start();
  return d;
}
