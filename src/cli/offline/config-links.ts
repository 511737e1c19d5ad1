// The symlinks under an enable directory (/etc/systemd/system and its .wants/ .requires/ .upholds/ dirs), read and changed as systemctl does.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ConfigLink } from '../../unit/install.js';
import { withoutRoot } from './paths.js';

/**
 * Every symlink directly in `dir` or one directory below it, with paths as the running
 * system sees them: `path` without the root, `target` made absolute.
 */
export function listConfigLinks(dir: string, root: string): ConfigLink[] {
  const links: ConfigLink[] = [];
  for (const entry of readDir(dir)) {
    const p = `${dir}/${entry.name}`;
    if (entry.isSymbolicLink()) links.push({ ...readLink(p, root), topLevel: true });
    else if (entry.isDirectory()) for (const sub of readDir(p)) if (sub.isSymbolicLink()) links.push(readLink(`${p}/${sub.name}`, root));
  }
  return links.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

function readDir(dir: string): fs.Dirent[] {
  try {
    return fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}

function readLink(p: string, root: string): ConfigLink {
  const raw = fs.readlinkSync(p);
  const unrooted = withoutRoot(p, root);
  return { path: unrooted, target: path.isAbsolute(raw) ? raw : path.resolve(path.dirname(unrooted), raw) };
}

export type CreateOutcome = { readonly kind: 'created' } | { readonly kind: 'exists' } | { readonly kind: 'conflict'; readonly message: string };

/** create_symlink(): an identical link is left alone; anything else in the way is an error, not overwritten. */
export function createLink(linkPath: string, target: string, verb: string): CreateOutcome {
  let existing: fs.Stats | undefined;
  try {
    existing = fs.lstatSync(linkPath);
  } catch {
    existing = undefined;
  }
  if (existing !== undefined) {
    if (!existing.isSymbolicLink()) return { kind: 'conflict', message: `Failed to ${verb} unit, file "${linkPath}" already exists.` };
    const current = fs.readlinkSync(linkPath);
    if (current === target) return { kind: 'exists' };
    return { kind: 'conflict', message: `Failed to ${verb} unit, file "${linkPath}" already exists and is a symlink to "${current}".` };
  }
  fs.mkdirSync(path.dirname(linkPath), { recursive: true });
  fs.symlinkSync(target, linkPath);
  return { kind: 'created' };
}

/** Removes a link, then its directory if that became empty (never `configDir` itself). */
export function removeLink(linkPath: string, configDir: string): void {
  fs.unlinkSync(linkPath);
  const parent = path.dirname(linkPath);
  if (parent !== configDir && readDir(parent).length === 0) fs.rmdirSync(parent);
}
