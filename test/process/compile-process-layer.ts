// Transpiles src/{common,unit,protocol,process} to JavaScript in a temp dir, so that a plain `node` child can run the
// process layer (the reaper must run in a process of its own: becoming a subreaper is per process).
import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { tempDir } from '../helpers/temp-files.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));

/** Returns the root of the compiled tree: ROOT/src/process/reaper.js etc. */
export function compileProcessLayer(): string {
  const root = tempDir('unitvisor-js-');
  for (const top of ['src/common', 'src/unit', 'src/protocol', 'src/process']) {
    // Subfolders too: process/ uses unit/values/ at run time.
    for (const path of readdirSync(join(repo, top), { recursive: true, encoding: 'utf8' })) {
      if (!path.endsWith('.ts')) continue;
      const folder = join(top, dirname(path));
      const name = basename(path);
      const source = readFileSync(join(repo, folder, name), 'utf8');
      const output = ts.transpileModule(source, {
        compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: false },
      });
      const target = join(root, folder, name.replace(/\.ts$/, '.js'));
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, output.outputText);
    }
  }
  writeFileSync(join(root, 'package.json'), '{"type":"module"}\n');
  // native.ts finds the addon two levels above itself; execa resolves through node_modules.
  symlinkSync(join(repo, 'native'), join(root, 'native'));
  symlinkSync(join(repo, 'node_modules'), join(root, 'node_modules'));
  return root;
}
