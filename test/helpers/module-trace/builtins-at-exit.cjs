// Preloaded with --require: at exit, writes the Node built-in modules the process loaded to $BUILTINS_TRACE_FILE.
const { writeFileSync } = require('node:fs');

process.on('exit', () => writeFileSync(process.env.BUILTINS_TRACE_FILE, process.moduleLoadList.join('\n')));
