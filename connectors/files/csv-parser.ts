/**
 * Streaming RFC 4180 CSV: quoted fields with commas, doubled quotes and line
 * breaks inside, CRLF or LF, a leading BOM. Feed it chunks of any size; it
 * keeps only the unfinished record between chunks.
 */
export class CsvParser {
  private field = '';
  private record: string[] = [];
  private quoted = false;
  /** Inside quotes, a quote may end the field or start a doubled quote: decided by the next char. */
  private quotePending = false;
  private started = false;
  private line = 1;
  private recordLine = 1;

  /** Returns the records completed by this chunk, each with the line it started on. */
  push(chunk: string): Array<{ line: number; fields: string[] }> {
    const out: Array<{ line: number; fields: string[] }> = [];
    let i = 0;
    if (!this.started && chunk.length > 0) {
      this.started = true;
      if (chunk.charCodeAt(0) === 0xfeff) i = 1;
    }
    for (; i < chunk.length; i++) {
      const c = chunk[i]!;
      if (this.quotePending) {
        this.quotePending = false;
        if (c === '"') {
          this.field += '"';
          continue;
        }
        this.quoted = false; // the quote closed the field; fall through with c
      }
      if (this.quoted) {
        if (c === '"') this.quotePending = true;
        else {
          if (c === '\n') this.line++;
          this.field += c;
        }
        continue;
      }
      if (c === '"' && this.field === '') this.quoted = true;
      else if (c === ',') {
        this.record.push(this.field);
        this.field = '';
      } else if (c === '\n') {
        this.record.push(this.field);
        out.push({ line: this.recordLine, fields: this.record });
        this.record = [];
        this.field = '';
        this.line++;
        this.recordLine = this.line;
      } else if (c !== '\r') this.field += c;
    }
    return out;
  }

  /** The last record when the input does not end with a newline. */
  end(): Array<{ line: number; fields: string[] }> {
    if (this.quotePending) {
      this.quotePending = false;
      this.quoted = false;
    }
    if (this.field === '' && this.record.length === 0) return [];
    this.record.push(this.field);
    const rec = { line: this.recordLine, fields: this.record };
    this.record = [];
    this.field = '';
    return [rec];
  }
}
