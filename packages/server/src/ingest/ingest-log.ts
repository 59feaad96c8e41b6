import { existsSync, mkdirSync } from "node:fs";
import { type FileHandle, open, readdir, readFile, unlink } from "node:fs/promises";
import path from "node:path";
import { crc32 } from "node:zlib";

/**
 * Frame: payload length (u32), CRC-32 of the payload (u32), sequence number (f64), payload. A frame whose
 * length or checksum does not hold is a torn write at the tail (never acknowledged, since its fsync did not
 * finish) and replay stops there.
 */
const headerBytes = 16;
/** One record may be large (a full request), but a length past this means a damaged header. */
const maxPayloadBytes = 64 * 1024 * 1024;

export interface LogRecord {
  readonly sequence: number;
  readonly payload: Buffer;
}

export interface IngestLog {
  /** Appends one record and resolves with its sequence number once it is on disk (fdatasync). */
  append(payload: Buffer): Promise<number>;
  /** Deletes closed segments whose every record is at or below `sequence` (loaded into both stores). */
  trim(loadedThrough: number): Promise<void>;
  /** Bytes in the segment files still kept. */
  sizeBytes(): number;
  close(): Promise<void>;
}

export interface OpenedIngestLog {
  readonly log: IngestLog;
  /** Records after `loadedThrough`, in order: acknowledged once, not yet in both stores. */
  readonly unloaded: readonly LogRecord[];
}

export class IngestLogDamagedError extends Error {
  constructor(file: string, offset: number) {
    super(
      `the ingest log ${file} is damaged at byte ${offset}, before its last record; move the file aside to start without it (its events are lost), or restore it from a backup`,
    );
    this.name = "IngestLogDamagedError";
  }
}

function segmentName(firstSequence: number): string {
  return `${String(firstSequence).padStart(16, "0")}.log`;
}

function frame(sequence: number, payload: Buffer): Buffer {
  const header = Buffer.allocUnsafe(headerBytes);
  header.writeUInt32LE(payload.length, 0);
  header.writeUInt32LE(crc32(payload), 4);
  header.writeDoubleLE(sequence, 8);
  return Buffer.concat([header, payload]);
}

/** The whole frames of one segment, and the offset just past the last whole one. */
function readFrames(bytes: Buffer): { records: LogRecord[]; validBytes: number } {
  const records: LogRecord[] = [];
  let offset = 0;
  while (offset + headerBytes <= bytes.length) {
    const length = bytes.readUInt32LE(offset);
    const end = offset + headerBytes + length;
    if (length > maxPayloadBytes || end > bytes.length) break;
    const payload = bytes.subarray(offset + headerBytes, end);
    if (crc32(payload) !== bytes.readUInt32LE(offset + 4)) break;
    records.push({ sequence: bytes.readDoubleLE(offset + 8), payload });
    offset = end;
  }
  return { records, validBytes: offset };
}

interface Segment {
  readonly file: string;
  readonly firstSequence: number;
}

interface QueuedAppend {
  readonly bytes: Buffer;
  readonly sequence: number;
  readonly resolve: (sequence: number) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * How many records of the log at `dir` are past `loadedThrough` (acknowledged, not loaded yet), reading only:
 * `cairn export` refuses to copy stores that miss them.
 */
export async function countUnloaded(dir: string, loadedThrough: number): Promise<number> {
  if (!existsSync(dir)) return 0;
  let unloaded = 0;
  for (const name of (await readdir(dir)).filter((n) => /^\d{16}\.log$/.test(n))) {
    const { records } = readFrames(await readFile(path.join(dir, name)));
    unloaded += records.filter((record) => record.sequence > loadedThrough).length;
  }
  return unloaded;
}

/**
 * The acknowledgement log in front of the event store: a request's events are appended here, and the request
 * is answered once an fdatasync covers them. Appends that arrive while one sync runs share the next one
 * (group commit), so a sync costs well under a millisecond per group instead of a database commit per
 * batch. The loader moves records into the event sink and the profile store behind it and trims segments
 * both have loaded.
 *
 * Opening replays: every whole record after `loadedThrough` comes back in `unloaded`; a torn tail of the
 * last segment is cut off.
 */
export async function openIngestLog(
  dir: string,
  loadedThrough: number,
  options: { segmentBytes?: number } = {},
): Promise<OpenedIngestLog> {
  const segmentBytes = options.segmentBytes ?? 64 * 1024 * 1024;
  mkdirSync(dir, { recursive: true });
  const names = (await readdir(dir)).filter((name) => /^\d{16}\.log$/.test(name)).sort();
  const segments: Segment[] = names.map((name) => ({
    file: path.join(dir, name),
    firstSequence: Number(name.slice(0, 16)),
  }));

  const unloaded: LogRecord[] = [];
  let lastSequence = loadedThrough;
  for (const [index, segment] of segments.entries()) {
    const bytes = await readFile(segment.file);
    const { records, validBytes } = readFrames(bytes);
    if (validBytes < bytes.length) {
      if (index < segments.length - 1) throw new IngestLogDamagedError(segment.file, validBytes);
      const handle = await open(segment.file, "r+");
      await handle.truncate(validBytes);
      await handle.sync();
      await handle.close();
    }
    for (const record of records) {
      lastSequence = Math.max(lastSequence, record.sequence);
      if (record.sequence > loadedThrough) unloaded.push(record);
    }
  }

  let nextSequence = lastSequence + 1;
  let active: { handle: FileHandle; segment: Segment; size: number } | null = null;
  let closedBytes = 0;
  const closed: Array<Segment & { lastSequence: number; size: number }> = [];
  // Earlier segments are kept until the loader reports them loaded.
  for (const segment of segments) {
    const size = (await readFile(segment.file)).length;
    const last = segments[segments.indexOf(segment) + 1]?.firstSequence;
    closed.push({ ...segment, lastSequence: last === undefined ? lastSequence : last - 1, size });
    closedBytes += size;
  }

  async function startSegment(): Promise<void> {
    const segment = { file: path.join(dir, segmentName(nextSequence)), firstSequence: nextSequence };
    const handle = await open(segment.file, "a");
    // The new file's directory entry must be durable too, or a crash could forget the whole segment.
    const dirHandle = await open(dir, "r");
    await dirHandle.sync();
    await dirHandle.close();
    active = { handle, segment, size: 0 };
  }

  async function rollIfFull(): Promise<void> {
    if (active && active.size < segmentBytes) return;
    if (active) {
      await active.handle.close();
      closed.push({ ...active.segment, lastSequence: nextSequence - 1, size: active.size });
      closedBytes += active.size;
    }
    await startSegment();
  }

  let queue: QueuedAppend[] = [];
  let draining: Promise<void> | null = null;
  let failure: Error | null = null;

  async function drain(): Promise<void> {
    while (queue.length > 0) {
      const group = queue;
      queue = [];
      try {
        if (failure) throw failure;
        await rollIfFull();
        const segment = active;
        if (!segment) throw new Error("ingest log has no open segment");
        const before = segment.size;
        try {
          const { bytesWritten } = await segment.handle.writev(
            group.map((g) => g.bytes),
            before,
          );
          const expected = group.reduce((sum, g) => sum + g.bytes.length, 0);
          if (bytesWritten !== expected)
            throw new Error(`short write to the ingest log (${bytesWritten} of ${expected} bytes)`);
          await segment.handle.datasync();
          segment.size = before + expected;
        } catch (error) {
          // Cut the partial group off, so later records never follow garbage; if that fails too, stop taking writes.
          await segment.handle.truncate(before).catch((truncateError: unknown) => {
            failure = truncateError instanceof Error ? truncateError : new Error(String(truncateError));
          });
          throw error;
        }
        for (const g of group) g.resolve(g.sequence);
      } catch (error) {
        for (const g of group) g.reject(error);
      }
    }
    draining = null;
  }

  const log: IngestLog = {
    append(payload) {
      const sequence = nextSequence++;
      return new Promise<number>((resolve, reject) => {
        queue.push({ bytes: frame(sequence, payload), sequence, resolve, reject });
        draining ??= drain();
      });
    },
    async trim(loadedThroughNow) {
      while (closed.length > 0 && (closed[0]?.lastSequence ?? Number.POSITIVE_INFINITY) <= loadedThroughNow) {
        const segment = closed.shift();
        if (!segment) break;
        await unlink(segment.file);
        closedBytes -= segment.size;
      }
    },
    sizeBytes: () => closedBytes + (active?.size ?? 0),
    async close() {
      while (draining) await draining;
      await active?.handle.close();
      active = null;
    },
  };
  return { log, unloaded };
}
