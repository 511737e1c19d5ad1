// `systemctl list-sockets` (systemctl-list-units.c output_sockets_list()): one row per listening address, by address.
import type { UnitInfo } from '../../protocol/unit-info.js';
import { formatTable } from './table.js';

interface SocketRow {
  readonly listen: string;
  readonly unit: string;
  readonly activates: readonly string[];
}

const values = (info: UnitInfo, key: string) => info.properties.filter(([k]) => k === key).map(([, v]) => v);

function rowsOf(info: UnitInfo): SocketRow[] {
  const activates = values(info, 'Triggers').flatMap((v) => v.split(' ')).filter((u) => u !== '');
  // "/run/a.sock (Stream)" → "/run/a.sock": the type is not a column.
  return values(info, 'Listen').map((l) => ({ listen: l.replace(/ \([A-Za-z]+\)$/, ''), unit: info.id, activates }));
}

export function formatListSockets(sockets: readonly UnitInfo[], all: boolean): string {
  const rows = sockets.flatMap(rowsOf).sort((a, b) => (a.listen < b.listen ? -1 : a.listen > b.listen ? 1 : a.unit < b.unit ? -1 : 1));
  // A socket activating several units lists the others on lines of their own, under ACTIVATES.
  const cells = rows.flatMap((r) => {
    const [first = '-', ...rest] = r.activates;
    return [[r.listen, r.unit, first], ...rest.map((u) => ['', '', u])];
  });
  const lines = formatTable(['LISTEN', 'UNIT', 'ACTIVATES'], cells).map((l) => l.trimEnd());
  lines.push('', `${rows.length} sockets listed.`);
  if (!all) lines.push('Pass --all to see loaded but inactive sockets, too.');
  return lines.join('\n');
}
