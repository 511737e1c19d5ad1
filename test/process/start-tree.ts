// Starts spawn-tree.mjs as a service would run: own session, INVOCATION_ID in its environment.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { readLines } from '../../src/process/output.js';
import { ownerEnvironment } from '../helpers/processes.js';
import { tempDir } from '../helpers/temp-files.js';
import { bin } from '../helpers/use-tmp-units.js';

const treeOptions = (invocationId: string) =>
  ({
    detached: true,
    buffer: false,
    reject: false,
    stdin: 'ignore',
    extendEnv: false,
    env: { INVOCATION_ID: invocationId, ...ownerEnvironment() },
  }) as const;

export interface StartedTree {
  readonly root: ResultPromise<ReturnType<typeof treeOptions>>;
  /** root, plain child, setsid child, branch, branch's setsid grandchild, double-forked orphan (record order varies). */
  readonly pids: readonly number[];
  readonly invocationId: string;
}

export async function startTree(): Promise<StartedTree> {
  const record = join(tempDir('unitvisor-tree-'), 'pids');
  const invocationId = randomBytes(16).toString('hex');
  const root = execa(process.execPath, [bin('spawn-tree'), record], treeOptions(invocationId));
  root.catch(() => undefined);
  const pids = await new Promise<number[]>((resolve, reject) => {
    readLines(root.stdout, (line) => {
      if (line.startsWith('ready ')) resolve(JSON.parse(line.slice(6)) as number[]);
    }).done.then(() => reject(new Error('spawn-tree ended before it was ready')), reject);
  });
  return { root, pids, invocationId };
}
