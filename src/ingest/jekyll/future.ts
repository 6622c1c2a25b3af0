// Jekyll's `future:` setting. Jekyll (3.0+) leaves out a post dated after the build's time unless
// the site sets `future: true` (Publisher#hidden_in_the_future?: `!site.future && date.to_i >
// site.time.to_i`). Both sides are compared in whole seconds, so a post dated 10:00:00.000 is
// published by a build at 10:00:00.000 and every later instant, never by one at 09:59:59.999.

import type { SiteConfig } from '../types';

/**
 * When a post dated `dateMs` becomes visible to a build at `buildTimeMs`: null if it already is
 * (or the site publishes future posts), else the first instant at which it is.
 */
export function hiddenUntil(dateMs: number, site: Pick<SiteConfig, 'future'>, buildTimeMs: number): number | null {
  if (site.future) return null;
  const visibleFrom = Math.floor(dateMs / 1000) * 1000;
  return Math.floor(buildTimeMs / 1000) * 1000 >= visibleFrom ? null : visibleFrom;
}
