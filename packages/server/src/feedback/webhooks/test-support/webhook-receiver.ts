import { once } from "node:events";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type WebhookPolicy, webhookPolicy } from "../webhook-policy.js";

/**
 * What tests with a receiver on this machine need: 127.0.0.1 on the operator's allowlist and http allowed,
 * as CAIRN_WEBHOOK_ALLOW=127.0.0.1 and CAIRN_WEBHOOK_ALLOW_HTTP=true would give.
 */
export const localReceiverPolicy: WebhookPolicy = webhookPolicy({ allow: ["127.0.0.1"], allowHttp: true });
export const localReceiverSettings = { webhookAllow: "127.0.0.1", webhookAllowHttp: "true" } as const;

/** One request the receiver got, and the status it answered. */
export interface Received {
  readonly headers: IncomingHttpHeaders;
  /** The body exactly as it arrived, for signature checks. */
  readonly raw: string;
  readonly body: {
    event: string;
    deliveryId: string;
    occurredAt: string;
    data: { id: string; status: string; comment?: { id: string; text: string } };
  };
  readonly status: number;
}

export interface Receiver {
  readonly url: string;
  readonly port: number;
  readonly received: Received[];
  /** Delivery ids answered with a 2xx, with how many times each was. */
  delivered(): Map<string, number>;
  close(): Promise<void>;
}

/**
 * A real HTTP receiver on 127.0.0.1. `answer(n)` is the status for the n-th request (0-based); `delay` holds
 * each answer back that long.
 */
export async function startReceiver(
  answer: (n: number) => number = () => 200,
  options: { port?: number; delayMs?: number } = {},
): Promise<Receiver> {
  const received: Received[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const status = answer(received.length);
      const raw = Buffer.concat(chunks).toString("utf8");
      received.push({ headers: request.headers, raw, body: JSON.parse(raw) as Received["body"], status });
      setTimeout(() => response.writeHead(status).end(), options.delayMs ?? 0);
    });
  });
  server.listen(options.port ?? 0, "127.0.0.1");
  await once(server, "listening");
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    port,
    received,
    delivered() {
      const out = new Map<string, number>();
      for (const r of received) {
        if (r.status >= 200 && r.status < 300) {
          out.set(r.body.deliveryId, (out.get(r.body.deliveryId) ?? 0) + 1);
        }
      }
      return out;
    },
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, "close");
    },
  };
}

/** A port nothing listens on (just freed), for a receiver that is down. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const port = (server.address() as AddressInfo).port;
  server.close();
  await once(server, "close");
  return port;
}

/** Waits until `check` is true, polling; fails after `timeoutMs`. */
export async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
