import { promises as dns, type LookupAddress } from "node:dns";
import type { LookupFunction } from "node:net";
import { describeRefused, normaliseHost, refusedAddress, type WebhookPolicy } from "./webhook-policy.js";

/** Every address a host name resolves to. */
export type Resolve = (hostname: string) => Promise<readonly LookupAddress[]>;

/** The system resolver, as a connection would use it (`/etc/hosts` included). */
export const systemResolve: Resolve = (hostname) => dns.lookup(hostname, { all: true, verbatim: true });

/** A connection the address policy refused: no request was made, and none will be for this delivery. */
export class WebhookRefusedError extends Error {
  override readonly name = "WebhookRefusedError";
}

function refusedError(reason: string): WebhookRefusedError & NodeJS.ErrnoException {
  const error: WebhookRefusedError & NodeJS.ErrnoException = new WebhookRefusedError(reason);
  error.code = "ERR_WEBHOOK_ADDRESS_REFUSED";
  return error;
}

/**
 * A `lookup` for the connection: resolves the name, refuses it if any address it resolves to is internal
 * and not allowed, and otherwise hands the connection exactly the addresses it checked. So the address
 * connected to is the address checked, and a name that rebinds to 127.0.0.1 after registration is refused.
 */
export function guardedLookup(policy: WebhookPolicy, resolve: Resolve = systemResolve): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname).then(
      (resolved) => {
        const addresses = resolved.filter((a) => !options.family || a.family === options.family);
        for (const { address } of addresses) {
          const refused = refusedAddress(policy, hostname, address);
          if (refused !== null) {
            const host = normaliseHost(hostname);
            const reason = `${host} resolves to ${describeRefused(refused)}; add the host or address to CAIRN_WEBHOOK_ALLOW to allow it`;
            callback(refusedError(reason), "");
            return;
          }
        }
        const [first] = addresses;
        if (first === undefined) {
          const error: NodeJS.ErrnoException = new Error(`getaddrinfo ENOTFOUND ${hostname}`);
          error.code = "ENOTFOUND";
          callback(error, "");
        } else if (options.all) callback(null, [...addresses]);
        else callback(null, first.address, first.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, ""),
    );
  };
}
