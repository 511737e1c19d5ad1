// Unit-file problems as values: file, line and systemd's own words.
export type Severity = 'warning' | 'error';

export interface Diagnostic {
  readonly file: string;
  /** 1-based; 0 when the problem is about the file as a whole. */
  readonly line: number;
  readonly severity: Severity;
  readonly message: string;
}

export const formatDiagnostic = (d: Diagnostic): string =>
  d.line > 0 ? `${d.file}:${d.line}: ${d.message}` : `${d.file}: ${d.message}`;

export const warning = (file: string, line: number, message: string): Diagnostic => ({ file, line, severity: 'warning', message });
export const error = (file: string, line: number, message: string): Diagnostic => ({ file, line, severity: 'error', message });

/** The same problem met twice (a directory read for several units, scanning and loading) is reported once. */
export function dedupeDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = formatDiagnostic(d);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
