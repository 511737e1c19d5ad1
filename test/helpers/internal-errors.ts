// An `Internal error` printed by a daemon or a client during a test is a bug: the helpers that capture
// daemon output and client replies hand every chunk here, and the setup file fails the test that saw one.

const seen: string[] = [];

/** Faults injected on purpose (UNITVISOR_INJECT_FAULT) are the only expected internal errors. */
const EXPECTED = /Injected fault/;

/** Records every `Internal error` line of `text`, captured from `source` (daemon stdout, client stderr...). */
export function watchForInternalErrors(source: string, text: string): void {
  if (!text.includes('Internal error')) return;
  for (const line of text.split('\n')) {
    if (line.includes('Internal error') && !EXPECTED.test(line)) seen.push(`${source}: ${line}`);
  }
}

/** The internal errors seen since the last call. */
export function takeInternalErrors(): string[] {
  return seen.splice(0);
}
