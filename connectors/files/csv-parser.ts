export interface CsvRecord {
  line: number;
  fields: string[];
  /** Set when the record passed the size limit: its fields were dropped and the parser went on at the next line. */
  tooLong?: true;
}

const SPECIAL = /[,\n"\r]/g;

/**
 * Streaming RFC 4180 CSV: quoted fields with commas, doubled quotes and line
 * breaks inside, CRLF or LF, a leading BOM. Feed it chunks of any size; it
 * keeps only the unfinished record between chunks, as slices (scanned once, so
 * time is linear in the input). A record over `maxRecordBytes` (an unterminated
 * quote, say) is given back as `tooLong` and parsing resumes at the next line
 * break, so one bad record costs neither memory nor the rows after it.
 */
export class CsvParser {
  private parts: string[] = [];
  private fieldStarted = false;
  private record: string[] = [];
  private recordBytes = 0;
  private quoted = false;
  /** Inside quotes, a quote may end the field or start a doubled quote: decided by the next char. */
  private quotePending = false;
  /** Past the size limit: everything up to the next line break is dropped. */
  private skipping = false;
  private started = false;
  private line = 1;
  private recordLine = 1;

  constructor(private readonly maxRecordBytes = Infinity) {}

  /** Returns the records completed by this chunk, each with the line it started on. */
  push(chunk: string): CsvRecord[] {
    const out: CsvRecord[] = [];
    let i = 0;
    if (!this.started && chunk.length > 0) {
      this.started = true;
      if (chunk.charCodeAt(0) === 0xfeff) i = 1;
    }
    const n = chunk.length;
    while (i < n) {
      if (this.skipping) {
        const nl = chunk.indexOf('\n', i);
        if (nl < 0) return out;
        this.skipping = false;
        out.push({ line: this.recordLine, fields: [], tooLong: true });
        this.line++;
        this.recordLine = this.line;
        i = nl + 1;
        continue;
      }
      if (this.quotePending) {
        this.quotePending = false;
        if (chunk.charCodeAt(i) === 34) {
          this.append('"');
          i++;
          continue;
        }
        this.quoted = false; // the quote closed the field; go on with this char
      }
      if (this.quoted) {
        const q = chunk.indexOf('"', i);
        const end = q < 0 ? n : q;
        for (let nl = chunk.indexOf('\n', i); nl >= 0 && nl < end; nl = chunk.indexOf('\n', nl + 1)) this.line++;
        this.append(chunk.slice(i, end));
        if (q >= 0) this.quotePending = true;
        i = end + (q >= 0 ? 1 : 0);
        if (this.recordBytes > this.maxRecordBytes) this.overflow();
        continue;
      }
      SPECIAL.lastIndex = i;
      const m = SPECIAL.exec(chunk);
      const at = m ? m.index : n;
      if (at > i) this.append(chunk.slice(i, at));
      if (this.recordBytes > this.maxRecordBytes) {
        this.overflow();
        i = at;
        continue;
      }
      if (!m) break;
      const c = chunk.charCodeAt(at);
      i = at + 1;
      if (c === 34) {
        // A quote opens a quoted field only at its start; elsewhere it is a character.
        if (!this.fieldStarted) {
          this.quoted = true;
          this.fieldStarted = true;
        } else this.append('"');
      } else if (c === 44) this.endField();
      else if (c === 10) {
        this.endField();
        out.push({ line: this.recordLine, fields: this.record });
        this.record = [];
        this.recordBytes = 0;
        this.line++;
        this.recordLine = this.line;
      }
      // '\r' outside quotes is dropped
    }
    return out;
  }

  /** The last record when the input does not end with a newline. */
  end(): CsvRecord[] {
    if (this.skipping) {
      this.skipping = false;
      return [{ line: this.recordLine, fields: [], tooLong: true }];
    }
    if (this.quotePending) {
      this.quotePending = false;
      this.quoted = false;
    }
    if (!this.fieldStarted && this.record.length === 0) return [];
    this.endField();
    const rec = { line: this.recordLine, fields: this.record };
    this.record = [];
    this.recordBytes = 0;
    return [rec];
  }

  private append(s: string) {
    if (s.length === 0 && this.fieldStarted) return;
    this.parts.push(s);
    this.fieldStarted = true;
    // Bytes as UTF-8 would count them at most: 3 per UTF-16 unit is an upper bound, exact for ASCII when counted.
    this.recordBytes += Buffer.byteLength(s);
  }

  private endField() {
    this.record.push(this.parts.length === 1 ? this.parts[0]! : this.parts.join(''));
    this.parts = [];
    this.fieldStarted = false;
  }

  private overflow() {
    this.parts = [];
    this.record = [];
    this.recordBytes = 0;
    this.fieldStarted = false;
    this.quoted = false;
    this.quotePending = false;
    this.skipping = true;
  }
}
