// A FIFO a unit's command reads from: its job runs until the test opens the gate, however slow the machine.
import { closeSync, constants, openSync, writeSync } from 'node:fs';

/** Writes a line into the FIFO once its reader has it open (never blocks the test); poll it with expect.poll. */
export function openGate(fifo: string): boolean {
  try {
    const fd = openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK);
    writeSync(fd, 'open\n');
    closeSync(fd);
    return true;
  } catch {
    return false; // ENXIO: nobody reads it yet
  }
}
