// What an export could not carry over, per unit: printed on stderr and at the top of the YAML.

export interface ReportLine {
  readonly unit: string;
  /** lossy: behaviour that does not carry over; note: carried over with a caveat. */
  readonly kind: 'lossy' | 'note';
  readonly text: string;
}

export class Report {
  private readonly seen = new Set<string>();

  constructor(private readonly sink: ReportLine[] = []) {}

  lossy(unit: string, text: string): void {
    this.add({ unit, kind: 'lossy', text });
  }

  note(unit: string, text: string): void {
    this.add({ unit, kind: 'note', text });
  }

  /** A report that drops what it is told (for derived containers whose unit is reported already). */
  silent(): Report {
    return new Report([]);
  }

  get lines(): readonly ReportLine[] {
    return this.sink;
  }

  private add(line: ReportLine): void {
    const key = `${line.unit}\0${line.text}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.sink.push(line);
  }
}

/** "web.service: Restart=on-failure: ..." lines, lossy ones first, in unit order. */
export function formatReport(lines: readonly ReportLine[]): string[] {
  const order = (l: ReportLine) => (l.kind === 'lossy' ? 0 : 1);
  return [...lines].sort((a, b) => order(a) - order(b) || a.unit.localeCompare(b.unit)).map((l) => `${l.kind === 'lossy' ? 'not carried over' : 'note'}: ${l.unit}: ${l.text}`);
}
