import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from "fastify";

/**
 * The Fastify instance every route registrar receives: its TypeBox schemas type `request.body`, `params` and
 * `query`, so a request's type is written once, as the schema that validates it. Annotate a plugin's instance
 * with it (`app.register(async (child: CairnApp) => …)`): left to inference, the child gets Fastify's default
 * type provider and its requests are `unknown`.
 */
export type CairnApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

/** The same instance, typed by its schemas (Fastify's `withTypeProvider` changes only the type). */
export function typedApp(app: FastifyInstance): CairnApp {
  return app.withTypeProvider<TypeBoxTypeProvider>();
}
