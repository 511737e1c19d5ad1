// The daemon's young generation stays at its initial size (two 1 MiB semi-spaces). V8 doubles it, up to
// 16 MiB each, whenever a burst of work promotes much (loading 500 units does), and a daemon at rest
// never gives it back: 30 MiB of RSS at 500 services. Node has no API for this; it is a V8 flag set at
// run time for the daemon's process only (the in-process API runs inside someone else's program, and
// keeps their settings). Measured in the README (M1).
import { setFlagsFromString } from 'node:v8';

/** Called before the daemon's modules load: loading them is the first burst. */
export function keepYoungGenerationSmall(): void {
  setFlagsFromString('--semi-space-growth-factor=1');
}
