/**
 * ClickHouse's HTTP interface in front of the ClickHouse engine running in this process (chdb), for tests and
 * benchmarks that need several Cairn processes on one current ClickHouse: no current ClickHouse server can be
 * installed on these machines, and chdb binds its folder to one process. It answers what `@clickhouse/client`
 * sends (the statement in the body or in `query`, rows to insert in the body, `param_*` query parameters,
 * settings, `database`, HTTP Basic credentials) the way a server does, errors included. It is not ClickHouse's
 * HTTP server: what it leaves out (compression, sessions, progress headers) Cairn does not use.
 *
 * Run: `node --import tsx chdb-http-endpoint.ts <folder> [port]`; prints `ready <port>`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";

interface ChdbSession {
  queryAsync(sql: string, options?: { format?: string }): Promise<{ bytes(): Uint8Array }>;
  close(): void;
}
interface ChdbModule {
  Session: new (path: string) => ChdbSession;
}

/** URL parameters that are the HTTP interface's own, not settings. */
const notSettings = new Set([
  "query",
  "database",
  "query_id",
  "session_id",
  "default_format",
  "user",
  "password",
]);

const sqlString = (text: string) => `'${text.replaceAll("\\", "\\\\").replaceAll("'", "\\'")}'`;

async function bodyOf(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The engine's error text, which the client parses for the code, message and type. */
function errorText(error: unknown): { code: string; text: string } {
  const message = error instanceof Error ? error.message : String(error);
  const code = /Code: (\d+)/.exec(message)?.[1] ?? "1001";
  return { code, text: message.startsWith("Code:") ? message : `Code: ${code}. DB::Exception: ${message}` };
}

export async function serveChdbOverHttp(
  folder: string,
  port: number,
): Promise<{ port: number; close(): void }> {
  const specifier = "chdb";
  const { Session } = (await import(specifier)) as ChdbModule;
  const session = new Session(folder);
  // One statement at a time, as one engine session: a request's settings and parameters are SET before it and
  // reset after it, so nothing carries over to the next request, whoever sends it.
  let chain: Promise<unknown> = Promise.resolve();

  async function run(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", "http://endpoint");
    if (url.pathname === "/ping") {
      response.end("Ok.\n");
      return;
    }
    const body = await bodyOf(request);
    const inUrl = url.searchParams.get("query");
    const statement = inUrl === null ? body.toString("utf8") : `${inUrl}\n${body.toString("utf8")}`;
    const sets: string[] = [];
    const resets: string[] = [];
    for (const [name, value] of url.searchParams) {
      if (notSettings.has(name)) continue;
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`bad parameter name ${name}`);
      sets.push(`SET ${name} = ${sqlString(value)}`);
      if (!name.startsWith("param_")) resets.push(`SET ${name} = DEFAULT`);
    }
    const database = url.searchParams.get("database");
    if (database !== null) sets.push(`USE ${database.replace(/[^A-Za-z0-9_]/g, "")}`);
    const format = url.searchParams.get("default_format") ?? "TabSeparated";
    const sql = [...sets, statement].join(";\n");
    const work = chain.then(async () => {
      try {
        return await session.queryAsync(sql, { format });
      } finally {
        if (resets.length > 0) await session.queryAsync(resets.join("; ")).catch(() => {});
      }
    });
    chain = work.catch(() => {});
    try {
      const result = await work;
      response.writeHead(200, { "Content-Type": "text/plain; charset=UTF-8", "X-ClickHouse-Format": format });
      response.end(Buffer.from(result.bytes()));
    } catch (error) {
      const { code, text } = errorText(error);
      response.writeHead(500, {
        "Content-Type": "text/plain; charset=UTF-8",
        "X-ClickHouse-Exception-Code": code,
      });
      response.end(`${text}\n`);
    }
  }

  const server = createServer((request, response) => {
    run(request, response).catch((error: unknown) => {
      response.writeHead(400);
      response.end(`Code: 1000. DB::Exception: ${error instanceof Error ? error.message : String(error)}\n`);
    });
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const address = server.address();
  return {
    port: typeof address === "object" && address ? address.port : port,
    close() {
      server.close();
      session.close();
    },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [folder, port] = process.argv.slice(2);
  if (!folder) throw new Error("usage: chdb-http-endpoint <folder> [port]");
  const served = await serveChdbOverHttp(folder, Number(port ?? 0));
  process.stdout.write(`ready ${served.port}\n`);
}
