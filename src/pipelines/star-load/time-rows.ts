import { closeSync, createReadStream, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { msPerDay } from '../../core/time-of-day.ts';
import { ByteOut } from './binary-rows.ts';

/** The columns of `time`, in the order of its binary COPY rows. */
export const timeColumns = ['start_time', 'hour', 'day', 'week', 'month', 'year', 'weekday'] as const;

/**
 * date_part's fields of a play's start_time (epoch milliseconds, read as UTC wall-clock time, years 1 to 9999), written
 * into `out` in timeColumns' order after start_time: hour, day, ISO week, month, year, weekday (0 = Sunday). Integer
 * arithmetic on the proleptic Gregorian calendar, as PostgreSQL counts; `test/star/time-rows.test.ts` holds it to
 * date_part on both engines from the year 1 to 9999 and around every kind of year end.
 */
export function timeParts(ms: number, out: Int32Array): void {
  const days = Math.floor(ms / msPerDay);
  out[0] = hourOf(ms, days);
  dateParts(days, out);
}

/** The hour of `ms`, which falls on day `days`. */
function hourOf(ms: number, days: number): number {
  return Math.floor((ms - days * msPerDay) / 3_600_000);
}

/** timeParts' fields but the hour, which depend on the day alone. */
function dateParts(days: number, out: Int32Array): void {
  const civil = civilFromDays(days);
  out[1] = civil % 32;
  out[3] = Math.floor(civil / 32) % 16;
  out[4] = Math.floor(civil / 512);
  // 1970-01-01 was a Thursday (4).
  const weekday = (((days + 4) % 7) + 7) % 7;
  out[5] = weekday;
  // ISO 8601: weeks start on Monday; week 1 holds the year's first Thursday, so a week belongs to its Thursday's year.
  const thursday = days - ((weekday + 6) % 7) + 3;
  const isoYear = Math.floor(civilFromDays(thursday) / 512);
  out[2] = Math.floor((thursday - daysFromCivil(isoYear, 1, 1)) / 7) + 1;
}

/** The date `days` after 1970-01-01 as year * 512 + month * 32 + day (Howard Hinnant's civil_from_days). */
function civilFromDays(days: number): number {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return year * 512 + month * 32 + day;
}

/** Days from 1970-01-01 to the date (days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** A time row's fields: start_time and six int4s. */
const timeFieldCount = timeColumns.length;
/** Bytes of one binary COPY row of `time`: the field count, seven lengths, eight bytes of timestamp, six int4s. */
export const timeRowBytes = 2 + timeFieldCount * 4 + 8 + 6 * 4;

/**
 * The `time` rows of a reader's plays as binary COPY rows, one per distinct start_time among the plays it has seen
 * since the last `forget` (the loader calls it per file), so a file's repeated timestamps never reach the server. The
 * seen set is an open-addressing table of doubles (NaN: a free slot) that doubles when half full, up to 2^20 slots
 * (8 MB); full at that size, it is forgotten and starts again, and a repeat across files or past that is left to the
 * server (07-time.sql). It keeps its size across files, so clearing it costs what the last file needed, not a fixed
 * table per file (docs/decisions/2026-12-01-time-rows-from-the-loader.md).
 */
export class TimeRows {
  private readonly out = new ByteOut(new ArrayBuffer(64 * 1024));
  private readonly parts = new Int32Array(6);
  /** The day (since 1970-01-01) `parts` holds the date fields of. */
  private day = Number.NaN;
  private readonly maxCapacity: number;
  private slots: Float64Array;
  private size = 0;

  constructor(maxCapacity = 1 << 20, initialCapacity = 1 << 12) {
    this.maxCapacity = maxCapacity;
    this.slots = new Float64Array(Math.min(initialCapacity, maxCapacity)).fill(Number.NaN);
  }

  /** A play at `ms`: its time row, unless one was written for the same millisecond. */
  add(ms: number): void {
    if (!this.insert(ms)) return;
    const out = this.out;
    const parts = this.parts;
    // All but the hour depend on the day alone, and a log file holds about one.
    const days = Math.floor(ms / msPerDay);
    parts[0] = hourOf(ms, days);
    if (days !== this.day) {
      dateParts(days, parts);
      this.day = days;
    }
    out.ensure(timeRowBytes);
    out.int16(timeFieldCount);
    out.timestampField(ms);
    for (let i = 0; i < 6; i++) out.int4Field(parts[i] as number);
  }

  /** The rows written since the last take, in a buffer of their own (it can be transferred). */
  take(): Uint8Array<ArrayBuffer> {
    const rows = this.out.buffer.slice(0, this.out.length);
    this.out.length = 0;
    return rows;
  }

  /** Starts a new file: timestamps seen so far are no longer remembered. */
  forget(): void {
    if (this.size === 0) return;
    this.slots.fill(Number.NaN);
    this.size = 0;
  }

  /** Adds `ms` to the seen set; false when it was there. */
  private insert(ms: number): boolean {
    let i = this.find(ms);
    if (i < 0) return false;
    // Half full at most: grow while it may, else forget and start again (a repeat then reaches the server).
    if (this.size * 2 >= this.slots.length) {
      if (this.slots.length < this.maxCapacity) this.grow();
      else this.forget();
      i = this.find(ms);
    }
    this.slots[i] = ms;
    this.size++;
    return true;
  }

  /** The free slot `ms` would take, or -1 when it is there. */
  private find(ms: number): number {
    const slots = this.slots;
    const mask = slots.length - 1;
    const high = Math.floor(ms / 4294967296);
    let i = (Math.imul((ms >>> 0) ^ Math.imul(high, 0x85ebca6b), 0x9e3779b1) >>> 0) & mask;
    for (let held = slots[i] as number; held === held; held = slots[i] as number) {
      if (held === ms) return -1;
      i = (i + 1) & mask;
    }
    return i;
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Float64Array(old.length * 2).fill(Number.NaN);
    for (const ms of old) {
      if (ms === ms) this.slots[this.find(ms)] = ms;
    }
  }
}

/**
 * Where the time rows wait while the plays are being COPYed (one COPY at a time on the connection): in memory up to
 * 8 MiB, then in a temporary file written as they come, so memory stays bounded whatever the input. Read back once,
 * for their own COPY; `close` removes the file.
 */
export class TimeSpool {
  private held: Uint8Array[] = [];
  private heldBytes = 0;
  /** The temporary directory and file, once the rows outgrew memory; the file's descriptor while it is written. */
  private dir: string | undefined;
  private fd: number | undefined;
  private readonly inMemoryBytes: number;

  constructor(inMemoryBytes = 8 * 1024 * 1024) {
    this.inMemoryBytes = inMemoryBytes;
  }

  write(rows: Uint8Array): void {
    if (rows.length === 0) return;
    if (this.dir === undefined && this.heldBytes + rows.length <= this.inMemoryBytes) {
      this.held.push(rows);
      this.heldBytes += rows.length;
      return;
    }
    if (this.dir === undefined) {
      this.dir = mkdtempSync(join(tmpdir(), 'sparkify-time-'));
      this.fd = openSync(this.file(), 'w');
      for (const held of this.held.splice(0)) writeAll(this.fd, held);
    }
    writeAll(this.fd as number, rows);
  }

  /** Every row written, in order. */
  async *chunks(): AsyncGenerator<Uint8Array> {
    if (this.dir === undefined) {
      yield* this.held;
      return;
    }
    this.closeFile();
    for await (const chunk of createReadStream(this.file(), { highWaterMark: 1024 * 1024 })) yield chunk as Buffer;
  }

  close(): void {
    this.closeFile();
    if (this.dir !== undefined) rmSync(this.dir, { recursive: true, force: true });
    this.dir = undefined;
    this.held = [];
  }

  private file(): string {
    return join(this.dir as string, 'time.copy');
  }

  private closeFile(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

function writeAll(fd: number, bytes: Uint8Array): void {
  for (let at = 0; at < bytes.length;) at += writeSync(fd, bytes, at, bytes.length - at);
}
