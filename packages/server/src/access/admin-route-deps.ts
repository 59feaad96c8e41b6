import type { preHandlerAsyncHookHandler } from "fastify";
import type { MetadataStore } from "../store/metadata/metadata-store.js";

/** What the admin API's registrars use; each takes the part it needs. */
export interface AdminRouteDeps {
  readonly metadata: MetadataStore;
  /** Read when a request arrives: with port 0 it is known only once the server listens. */
  readonly publicUrl: () => string;
  /** Admits a signed-in user (and checks a state-changing request's CSRF token). */
  readonly requireSession: preHandlerAsyncHookHandler;
}
