// A module loader hook that records every module URL Node loads, one per line, in $MODULE_TRACE_FILE.
import { appendFileSync } from 'node:fs';

export async function load(url, context, nextLoad) {
  appendFileSync(process.env.MODULE_TRACE_FILE, `${url}\n`);
  return nextLoad(url, context);
}
