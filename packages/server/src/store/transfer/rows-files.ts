import { createHash } from "node:crypto";
import { once } from "node:events";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, open, readFile } from "node:fs/promises";
import path from "node:path";
import { createGzip, gunzipSync } from "node:zlib";

/** One file of an export as the manifest lists it. */
export interface ExportFile {
  /** Relative to the export folder, with `/`. */
  readonly path: string;
  readonly rows: number;
  readonly bytes: number;
  readonly sha256: string;
}

export async function sha256Of(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/** Written to disk before it is listed: a manifest never names a file a power cut could still lose. */
async function fsyncFile(file: string): Promise<void> {
  const handle = await open(file, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Gzipped newline-delimited rows, written as they come and cut into files of at most `maxRows` rows
 * (`<prefix>-000001.ndjson.gz`, …). `finish` closes the last file and answers every file written.
 */
export class RowsFileSeries {
  private readonly files: ExportFile[] = [];
  private current: {
    gzip: ReturnType<typeof createGzip>;
    done: Promise<void>;
    rel: string;
    rows: number;
  } | null = null;

  constructor(
    private readonly root: string,
    private readonly prefix: string,
    private readonly maxRows: number,
  ) {}

  /** Rows written a file's share at a time: one write per share, not per row. */
  async addAll(lines: readonly string[]): Promise<void> {
    let at = 0;
    while (at < lines.length) {
      if (this.current && this.current.rows >= this.maxRows) await this.close();
      if (!this.current) await this.openNext();
      const current = this.current as NonNullable<typeof this.current>;
      const share = lines.slice(at, at + (this.maxRows - current.rows));
      current.rows += share.length;
      at += share.length;
      if (!current.gzip.write(`${share.join("\n")}\n`)) await once(current.gzip, "drain");
    }
  }

  async finish(): Promise<ExportFile[]> {
    await this.close();
    return this.files;
  }

  private async openNext(): Promise<void> {
    const rel = `${this.prefix}-${String(this.files.length + 1).padStart(6, "0")}.ndjson.gz`;
    const file = path.join(this.root, rel);
    await mkdir(path.dirname(file), { recursive: true });
    const gzip = createGzip();
    const out = createWriteStream(file);
    gzip.pipe(out);
    const done = new Promise<void>((resolve, reject) => {
      out.on("close", resolve);
      out.on("error", reject);
      gzip.on("error", reject);
    });
    this.current = { gzip, done, rel, rows: 0 };
  }

  private async close(): Promise<void> {
    const current = this.current;
    if (!current) return;
    this.current = null;
    current.gzip.end();
    await current.done;
    const file = path.join(this.root, current.rel);
    await fsyncFile(file);
    const handle = await open(file, "r");
    const { size } = await handle.stat();
    await handle.close();
    this.files.push({ path: current.rel, rows: current.rows, bytes: size, sha256: await sha256Of(file) });
  }
}

/** A file's rows, uncompressed: newline-delimited, each row ending in a newline. */
export async function rowsBytesOf(root: string, file: ExportFile): Promise<Uint8Array> {
  return new Uint8Array(gunzipSync(await readFile(path.join(root, file.path))));
}

/** A file's rows, parsed. */
export async function rowsOf<Row>(root: string, file: ExportFile): Promise<Row[]> {
  const text = Buffer.from(await rowsBytesOf(root, file)).toString("utf8");
  return text
    .split("\n")
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as Row);
}
