import cluster from 'node:cluster';
import { AggregatorRegistry, Registry } from 'prom-client';

// Under `serve --workers N` a scrape reaches one worker, but the figures belong to all of them: the
// worker asks the primary, which gathers every worker's registry (prom-client's own cluster
// protocol) and answers with the sum.
const ASK = 'newsgraph:metrics-req';
const ANSWER = 'newsgraph:metrics-res';
const TIMEOUT_MS = 5000;

interface Ask {
  type: typeof ASK;
  id: number;
}
interface Answer {
  type: typeof ANSWER;
  id: number;
  text?: string;
  error?: string;
}

/**
 * In the primary: answers the workers' requests for the aggregated metrics, and `more` (the
 * primary's own: the archive watcher's), which no worker has, so they are added once, as they are.
 */
export function answerClusterMetrics(more?: Registry): void {
  const aggregator = new AggregatorRegistry();
  cluster.on('message', (worker, message: Ask) => {
    if (message?.type !== ASK) return;
    const reply = (a: Omit<Answer, 'type' | 'id'>) => {
      if (worker.isConnected()) worker.send({ type: ANSWER, id: message.id, ...a } satisfies Answer);
    };
    aggregator
      .clusterMetrics()
      .then(async (text) => text + (more ? await more.metrics() : ''))
      .then(
        (text) => reply({ text }),
        (e: unknown) => reply({ error: (e as Error).message }),
      );
  });
}

let asked = 0;

/** In a worker: offers `registry` to the primary's aggregation, and gives the cluster's metrics text. */
export function clusterMetricsText(registry: Registry): () => Promise<string> {
  new AggregatorRegistry(); // installs the worker's side of prom-client's protocol
  AggregatorRegistry.setRegistries([registry]);
  return () =>
    new Promise<string>((resolve, reject) => {
      const id = ++asked;
      const timer = setTimeout(() => {
        process.off('message', onMessage);
        reject(new Error(`the primary did not send the metrics within ${TIMEOUT_MS / 1000} s`));
      }, TIMEOUT_MS);
      const onMessage = (m: Answer) => {
        if (m?.type !== ANSWER || m.id !== id) return;
        clearTimeout(timer);
        process.off('message', onMessage);
        if (m.error !== undefined) reject(new Error(m.error));
        else resolve(m.text ?? '');
      };
      process.on('message', onMessage);
      process.send!({ type: ASK, id } satisfies Ask);
    });
}
