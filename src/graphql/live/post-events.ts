import { GraphQLError } from 'graphql';
import type { ChangeRow } from '../../db/queries/changes';
import type { PostFilterSpec } from '../../db/queries/post-filter';
import { postsMatching } from '../../db/queries/post-matches';
import type { SqlRunner } from '../../db/sql-runner';
import type { ChangeKind } from '../../db/writes/change-feed';
import { EventQueue } from './event-queue';

/** One change of the feed, as subscriptions deliver it: a `post_change` row. */
export type FeedChange = Omit<ChangeRow, 'kind'> & { kind: ChangeKind };

/** Where changes come from: the durable feed every import appends to, in order. */
export interface ChangeSource {
  /** The last sequence number written, or 0 when the feed is empty. */
  head(run: SqlRunner): Promise<number>;
  /** Changes after `seq`, in order, at most `limit`. */
  after(run: SqlRunner, seq: number, limit: number): Promise<FeedChange[]>;
}

export interface PostEventsOptions {
  source: ChangeSource;
  /** A runner for each round of reads. */
  runner: () => SqlRunner;
  /** Changes whenever committed content may have changed (the store's data version). */
  dataVersion: () => string | Promise<string>;
  /** How often to look for new changes, ms. */
  pollMs: number;
  /** Where the database tells of committed changes (PostgreSQL): a round at once, besides the polls. */
  listen?: (onChange: () => void, onError?: (e: unknown) => void) => () => Promise<void>;
  /** Subscriptions open at once in this process. */
  maxSubscriptions: number;
  /** Events a subscriber may fall behind before it is dropped. */
  queueLength: number;
  /** Told of a failed round (the database gone a moment); the next round retries from the same place. */
  onError?: (e: unknown) => void;
}

type Interest = 'added' | 'changed';

interface Subscriber {
  interest: Interest;
  filter: PostFilterSpec | undefined;
  key: string;
  queue: EventQueue<FeedChange>;
}

/** Changes read per round, and posts matched per statement. */
const PAGE = 500;

/**
 * Fans the change feed out to this process's subscriptions. It follows the feed from where it
 * stood when started, by sequence number, so every subscriber hears each change once and in order
 * whichever process imported it (the server's watcher, `import --watch`, another machine on
 * PostgreSQL). Who hears what is decided by SQL: `posts(filter:)`'s own conditions over the
 * changed posts, one statement per distinct filter per round. A removed post has no links left
 * to match, so its REMOVED change reaches every `postChanged` subscriber.
 */
export class PostEvents {
  private readonly subscribers = new Set<Subscriber>();
  private last = 0;
  private version: string | null = null;
  private timer: NodeJS.Timeout | null = null;
  private round: Promise<void> | null = null;
  private started: Promise<void> | null = null;
  /** A round was asked for while one ran: it may have read the feed before the change committed. */
  private again = false;
  private unlisten: (() => Promise<void>) | null = null;

  constructor(private readonly o: PostEventsOptions) {}

  /** Starts following the feed from its current head. */
  start(): Promise<void> {
    this.started ??= (async () => {
      this.version = String(await this.o.dataVersion());
      this.last = await this.o.source.head(this.o.runner());
      this.timer = setInterval(() => void this.poll(), this.o.pollMs);
      this.timer.unref();
      this.unlisten = this.o.listen?.(() => void this.poll(), this.o.onError) ?? null;
    })();
    return this.started;
  }

  /** Stops following and ends every subscription. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.unlisten?.();
    this.unlisten = null;
    await this.round;
    for (const s of [...this.subscribers]) void s.queue.return();
  }

  get open(): number {
    return this.subscribers.size;
  }

  /** The last feed seq this process has read (and delivered to its subscribers). */
  get position(): number {
    return this.last;
  }

  /** A subscription's events; throws when the process holds its maximum already. */
  subscribe(interest: Interest, filter: PostFilterSpec | undefined): AsyncIterableIterator<FeedChange> {
    // A GraphQLError: the client's to read (a plain Error would reach it as `internal error`).
    if (this.subscribers.size >= this.o.maxSubscriptions)
      throw new GraphQLError(
        `the server holds its maximum of ${this.o.maxSubscriptions} subscriptions; try again later`,
        { extensions: { code: 'TOO_MANY_SUBSCRIPTIONS' } },
      );
    const s: Subscriber = {
      interest,
      filter,
      key: JSON.stringify(filter ?? null),
      queue: new EventQueue<FeedChange>(this.o.queueLength, () => this.subscribers.delete(s)),
    };
    this.subscribers.add(s);
    return s.queue;
  }

  /** One round now (tests; the timer calls it too): reads what the feed gained and delivers it. */
  poll(): Promise<void> {
    if (this.round) {
      this.again = true;
      return this.round;
    }
    this.round = this.readFeed()
      .catch((e: unknown) => this.o.onError?.(e))
      .finally(() => {
        this.round = null;
        if (this.again && this.timer) {
          this.again = false;
          void this.poll();
        }
      });
    return this.round;
  }

  private async readFeed(): Promise<void> {
    const version = String(await this.o.dataVersion());
    if (version === this.version) return;
    this.version = version;
    for (;;) {
      const run = this.o.runner();
      const changes = await this.o.source.after(run, this.last, PAGE);
      if (changes.length === 0) return;
      if (this.subscribers.size) await this.deliver(run, changes);
      this.last = changes[changes.length - 1].seq;
      if (changes.length < PAGE) return;
    }
  }

  private async deliver(run: SqlRunner, changes: FeedChange[]): Promise<void> {
    const subscribers = [...this.subscribers];
    const live = [...new Set(changes.filter((c) => c.kind !== 'REMOVED').map((c) => c.postId))];
    const matchesOf = new Map<string, Set<number>>();
    for (const s of subscribers) {
      if (matchesOf.has(s.key)) continue;
      const matched = new Set<number>();
      for (let i = 0; i < live.length; i += PAGE)
        for (const id of await postsMatching(run, live.slice(i, i + PAGE), s.filter)) matched.add(id);
      matchesOf.set(s.key, matched);
    }
    for (const c of changes) {
      for (const s of subscribers) {
        if (s.interest === 'added' && c.kind !== 'ADDED') continue;
        if (c.kind === 'REMOVED' || matchesOf.get(s.key)!.has(c.postId)) s.queue.push(c);
      }
    }
  }
}
