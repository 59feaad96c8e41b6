import type { Kysely, Updateable } from "kysely";
import type { FeedbackWebhookDeliveriesTable, MetadataSchema } from "../../store/metadata/metadata-schema.js";
import type { Resolve } from "./guarded-lookup.js";
import { strictWebhookPolicy, type WebhookPolicy } from "./webhook-policy.js";
import { type PostOutcome, postWebhook } from "./webhook-post.js";
import { signatureHeader, signDelivery, webhookIdHeader } from "./webhook-signature.js";

type Db = Kysely<MetadataSchema>;

export interface WebhookDelivererOptions {
  /** How often to look for due deliveries (default 250 ms). */
  readonly pollMs?: number;
  /** The first retry waits this long, each next one twice as long (default 1 s). */
  readonly retryBaseMs?: number;
  /** The longest wait between two attempts (default 10 minutes). */
  readonly retryCapMs?: number;
  /** A delivery still failing this long after its event is given up on (default 24 hours). */
  readonly giveUpAfterMs?: number;
  /** How long one request may take (default 10 s). */
  readonly timeoutMs?: number;
  /** Deliveries sent at once (default 10). */
  readonly batch?: number;
  /** Where deliveries may go (default: public https receivers only). */
  readonly policy?: WebhookPolicy;
  /** How host names are resolved before the address policy checks them (default: the system resolver). */
  readonly resolve?: Resolve;
  /** A failed attempt, a given-up or refused delivery, or a store error: for the log. */
  readonly onProblem?: (problem: WebhookProblem) => void;
}

export type WebhookProblem =
  | {
      readonly kind: "attempt_failed";
      readonly deliveryId: string;
      readonly attempts: number;
      readonly error: string;
    }
  | {
      readonly kind: "gave_up";
      readonly deliveryId: string;
      readonly attempts: number;
      readonly error: string;
    }
  | {
      /** The address policy refused where the delivery would go: nothing was sent, and nothing will be. */
      readonly kind: "refused";
      readonly deliveryId: string;
      readonly error: string;
    }
  | { readonly kind: "store_error"; readonly error: unknown };

export interface WebhookDeliverer {
  /** Looks for due deliveries now instead of at the next poll. */
  wake(): void;
  /** Stops polling, aborts requests in flight (they are sent again later) and waits for its writes. */
  close(): Promise<void>;
}

export const webhookDefaults = {
  pollMs: 250,
  retryBaseMs: 1000,
  retryCapMs: 10 * 60_000,
  giveUpAfterMs: 24 * 60 * 60_000,
  timeoutMs: 10_000,
  batch: 10,
} as const;

/** The wait before attempt `attempts + 1`, after `attempts` failures: base, 2 × base, 4 × base … up to the cap. */
export function retryDelayMs(attempts: number, baseMs: number, capMs: number): number {
  return Math.min(capMs, baseMs * 2 ** Math.max(0, attempts - 1));
}

/**
 * Takes a pending delivery for `leaseMs` unless another server holds it: the UPDATE's condition decides, so of
 * two servers racing for the same row (PostgreSQL, or two processes on one SQLite file) exactly one wins.
 */
export async function claimDelivery(db: Db, id: string, now: Date, leaseMs: number): Promise<boolean> {
  const at = now.toISOString();
  const result = await db
    .updateTable("feedback_webhook_deliveries")
    .set({ claimed_until: new Date(now.getTime() + leaseMs).toISOString() })
    .where("id", "=", id)
    .where("state", "=", "pending")
    .where((eb) => eb.or([eb("claimed_until", "is", null), eb("claimed_until", "<", at)]))
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

interface Due {
  readonly id: string;
  readonly event: string;
  readonly payload: string;
  readonly delivery_id: string;
  readonly attempts: number;
  readonly created_at: string;
  readonly hook_id: string;
  readonly target_url: string;
  readonly signing_secret: string;
}

/**
 * Sends the webhook outbox. Each delivery is claimed with a lease before it is sent, so servers sharing the
 * metadata store never send the same one at once; a 2xx marks it delivered; anything else is retried with
 * exponential backoff until it is `giveUpAfterMs` old. A server that dies mid-send leaves its lease to expire
 * and another (or itself, restarted) sends again: at least once across crashes, with the same delivery id.
 * Every attempt is signed afresh (`Cairn-Signature`, with the time of the attempt). A delivery whose URL or
 * resolved address the policy refuses fails at once: no request is made, and retrying would change nothing.
 */
export function startWebhookDeliverer(db: Db, options: WebhookDelivererOptions = {}): WebhookDeliverer {
  const pollMs = options.pollMs ?? webhookDefaults.pollMs;
  const retryBaseMs = options.retryBaseMs ?? webhookDefaults.retryBaseMs;
  const retryCapMs = options.retryCapMs ?? webhookDefaults.retryCapMs;
  const giveUpAfterMs = options.giveUpAfterMs ?? webhookDefaults.giveUpAfterMs;
  const timeoutMs = options.timeoutMs ?? webhookDefaults.timeoutMs;
  const batch = options.batch ?? webhookDefaults.batch;
  const policy = options.policy ?? strictWebhookPolicy;
  // Long enough for a request to time out and its result to be written; a lease only ends early if we died.
  const leaseMs = timeoutMs + 30_000;
  const stopping = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | null = null;
  let again = false;
  let closed = false;

  function problem(p: WebhookProblem): void {
    options.onProblem?.(p);
  }

  /** Sends once, signed now. */
  function send(due: Due): Promise<PostOutcome> {
    return postWebhook(due.target_url, {
      headers: {
        "Content-Type": "application/json",
        "User-Agent": "Cairn-Webhooks/1",
        "X-Cairn-Event": due.event,
        "X-Cairn-Delivery": due.delivery_id,
        [webhookIdHeader]: due.hook_id,
        [signatureHeader]: signDelivery(due.signing_secret, due.payload, new Date()),
      },
      body: due.payload,
      policy,
      resolve: options.resolve,
      signal: AbortSignal.any([stopping.signal, AbortSignal.timeout(timeoutMs)]),
    });
  }

  async function deliver(due: Due): Promise<void> {
    if (!(await claimDelivery(db, due.id, new Date(), leaseMs))) return;
    const outcome = await send(due);
    const now = new Date();
    const at = now.toISOString();
    async function finish(set: Updateable<FeedbackWebhookDeliveriesTable>): Promise<void> {
      // Only while still pending: an unsubscribe meanwhile deleted it, and that stays so.
      await db
        .updateTable("feedback_webhook_deliveries")
        .set(set)
        .where("id", "=", due.id)
        .where("state", "=", "pending")
        .execute();
    }
    if (outcome.ok) {
      await finish({
        state: "delivered",
        delivered_at: at,
        attempts: due.attempts + 1,
        claimed_until: null,
        last_error: null,
      });
      return;
    }
    const { error } = outcome;
    if (outcome.refused) {
      await finish({ state: "failed", failed_at: at, claimed_until: null, last_error: error });
      problem({ kind: "refused", deliveryId: due.delivery_id, error });
      return;
    }
    if (stopping.signal.aborted) {
      // Cut short by shutdown, not refused by the receiver: not counted, sent again after the restart.
      await finish({ claimed_until: null });
      return;
    }
    const attempts = due.attempts + 1;
    if (now.getTime() - Date.parse(due.created_at) >= giveUpAfterMs) {
      await finish({ state: "failed", failed_at: at, attempts, claimed_until: null, last_error: error });
      problem({ kind: "gave_up", deliveryId: due.delivery_id, attempts, error });
      return;
    }
    const next = new Date(now.getTime() + retryDelayMs(attempts, retryBaseMs, retryCapMs)).toISOString();
    await finish({ attempts, next_attempt_at: next, claimed_until: null, last_error: error });
    problem({ kind: "attempt_failed", deliveryId: due.delivery_id, attempts, error });
  }

  async function dueNow(): Promise<Due[]> {
    const at = new Date().toISOString();
    return db
      .selectFrom("feedback_webhook_deliveries as d")
      .innerJoin("feedback_hooks as h", "h.id", "d.hook_id")
      .select([
        "d.id",
        "d.event",
        "d.payload",
        "d.delivery_id",
        "d.attempts",
        "d.created_at",
        "h.id as hook_id",
        "h.target_url",
        "h.signing_secret",
      ])
      .where("d.state", "=", "pending")
      .where("d.next_attempt_at", "<=", at)
      .where((eb) => eb.or([eb("d.claimed_until", "is", null), eb("d.claimed_until", "<", at)]))
      .orderBy("d.next_attempt_at")
      .orderBy("d.id")
      .limit(batch)
      .execute();
  }

  async function runOnce(): Promise<void> {
    try {
      const due = await dueNow();
      await Promise.all(
        due.map((d) =>
          deliver(d).catch((error: unknown) => {
            problem({ kind: "store_error", error });
          }),
        ),
      );
      // A full batch means more may be waiting: go on without sleeping.
      if (due.length === batch && !closed) again = true;
    } catch (error) {
      if (!closed) problem({ kind: "store_error", error });
    }
  }

  function schedule(delayMs: number): void {
    if (closed) return;
    clearTimeout(timer);
    timer = setTimeout(tick, delayMs);
    timer.unref();
  }

  function tick(): void {
    if (closed) return;
    if (running) {
      again = true;
      return;
    }
    running = runOnce().finally(() => {
      running = null;
      const soon = again;
      again = false;
      schedule(soon ? 0 : pollMs);
    });
  }

  schedule(0);
  return {
    wake(): void {
      schedule(0);
    },
    async close(): Promise<void> {
      closed = true;
      clearTimeout(timer);
      stopping.abort();
      await running;
    },
  };
}
