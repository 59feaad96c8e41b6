import type { FastifyRequest } from "fastify";

/** A request header's value; the first one when a client repeats the header. */
export function firstHeader(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
