// Subscriptions register asynchronously (the WebSocket message, then graphql-js's subscribe): a test
// waits until the server counts them open (its /metrics, so the server needs `metrics: true`).

/** Subscriptions open in the server at `base` (http://host:port), from its Prometheus metrics. */
export async function subscriptionsOpen(base: string): Promise<number> {
  const text = await (await fetch(`${base}/metrics`)).text();
  return Number(/^newsgraph_subscriptions_open (\d+)$/m.exec(text)?.[1] ?? NaN);
}

/** Waits until the server at `base` holds `n` open subscriptions, or fails saying how many it had. */
export async function waitForSubscriptions(base: string, n: number, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  let open = NaN;
  while ((open = await subscriptionsOpen(base)) !== n) {
    if (Date.now() > deadline) throw new Error(`expected ${n} open subscriptions, the server had ${open}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
