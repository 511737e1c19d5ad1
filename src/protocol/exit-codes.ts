// systemctl's exit codes (systemctl(1) "EXIT STATUS", LSB init-script actions).
export const EXIT_SUCCESS = 0;
/** Generic failure, e.g. a job failed. */
export const EXIT_FAILURE = 1;
/** "program is not running": is-active/status of an inactive unit. */
export const EXIT_PROGRAM_NOT_RUNNING = 3;
/** "no such unit": status of a unit that cannot be found. */
export const EXIT_PROGRAM_OR_SERVICE_STATUS_UNKNOWN = 4;
/** "program not installed": start of a unit that cannot be found. */
export const EXIT_NOT_INSTALLED = 5;
/** Bad arguments: systemctl exits 1 (getopt errors, "Too few arguments.", unparsable values). */
export const EXIT_USAGE = 1;

/** The stable error codes that cross the control socket, each with systemctl's exit code. */
export const ERROR_EXIT_CODES = {
  'unit-not-found': EXIT_NOT_INSTALLED,
  'unit-masked': EXIT_FAILURE,
  'unit-not-loaded': EXIT_FAILURE,
  'job-failed': EXIT_FAILURE,
  'transaction-failed': EXIT_FAILURE,
  'refused': EXIT_FAILURE,
  'bad-request': EXIT_USAGE,
  'shutting-down': EXIT_FAILURE,
  'internal': EXIT_FAILURE,
} as const;
export type ErrorCode = keyof typeof ERROR_EXIT_CODES;
