// `--http [HOST:]PORT`: where the endpoint listens; loopback unless a host is named.
export interface HttpAddress {
  readonly host: string;
  readonly port: number;
}

/** "9100" → 127.0.0.1:9100; "0.0.0.0:9100"; "[::1]:9100". */
export function parseHttpAddress(text: string): HttpAddress | undefined {
  const m = /^(?:(\[[0-9a-fA-F:.]+\]|[^:[\]]+):)?(\d{1,5})$/.exec(text.trim());
  if (!m) return undefined;
  const port = Number(m[2]);
  if (port > 65535) return undefined;
  return { host: (m[1] ?? '127.0.0.1').replace(/^\[|\]$/g, ''), port };
}
