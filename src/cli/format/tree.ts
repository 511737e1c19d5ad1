// `systemctl list-dependencies` trees: "├─" / "└─" branches, a state glyph per unit.
import type { TreeNode } from '../../protocol/unit-info.js';

const glyph = (state: string) => (state === 'failed' ? '×' : state === 'inactive' ? '○' : '●');

export function formatTree(root: TreeNode): string {
  const lines = [root.unit];
  const walk = (node: TreeNode, prefix: string) => {
    node.children.forEach((child, i) => {
      const last = i === node.children.length - 1;
      lines.push(`${glyph(child.activeState)} ${prefix}${last ? '└─' : '├─'}${child.unit}`);
      walk(child, `${prefix}${last ? '  ' : '│ '}`);
    });
  };
  walk(root, '');
  return lines.join('\n');
}
