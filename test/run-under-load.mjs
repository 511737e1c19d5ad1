// `npm run test:load`: the suite with two CPU-bound processes beside it, as on a busy CI machine; the
// burners are stopped (by their PIDs) whatever the outcome. Arguments go to vitest.
import { spawn } from 'node:child_process';

const burners = [0, 1].map(() => spawn(process.execPath, ['-e', 'for (;;);'], { stdio: 'ignore' }));
const stop = () => {
  for (const burner of burners) burner.kill('SIGKILL');
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
const vitest = spawn(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', ...process.argv.slice(2)], { stdio: 'inherit' });
vitest.on('exit', (code, signal) => {
  stop();
  process.exitCode = code ?? (signal ? 1 : 0);
});
