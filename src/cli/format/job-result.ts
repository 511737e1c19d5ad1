// systemctl's words when a job it waited for did not succeed (bus-wait-for-jobs.c check_wait_response).
const EXPLANATIONS: Readonly<Record<string, string>> = {
  resources: 'of unavailable resources or another system error',
  protocol: 'the service did not take the steps required by its unit configuration',
  timeout: 'a timeout was exceeded',
  'exit-code': 'the control process exited with error code',
  signal: 'a fatal signal was delivered to the control process',
  'core-dump': 'a fatal signal was delivered causing the control process to dump core',
  watchdog: 'the service failed to send watchdog ping',
  'start-limit-hit': 'start of the service was attempted too often',
};

const seeAlso = (unit: string) => `See "unitvisor status ${unit}" and "unitvisor logs -u ${unit}" for details.`;

/** The error text for a finished job, or undefined when the result is a success ("done", "skipped"). */
export function jobFailureMessage(unit: string, jobResult: string, serviceResult: string): string | undefined {
  switch (jobResult) {
    case 'done':
    case 'skipped':
      return undefined;
    case 'canceled':
      return `Job for ${unit} canceled.`;
    case 'timeout':
      return `Job for ${unit} timed out.`;
    case 'dependency':
      return `A dependency job for ${unit} failed. See 'unitvisor logs' for details.`;
    case 'invalid':
      return `${unit} is not active, cannot reload.`;
    case 'assert':
      return `Assertion failed on job for ${unit}.`;
    case 'unsupported':
      return `Operation on or unit type of ${unit} not supported on this system.`;
    case 'collected':
      return `Queued job for ${unit} was garbage collected.`;
    case 'once':
      return `Unit ${unit} was started already once and can't be started again.`;
  }
  const why = EXPLANATIONS[serviceResult];
  return why ? `Job for ${unit} failed because ${why}.\n${seeAlso(unit)}` : `Job for ${unit} failed.\n${seeAlso(unit)}`;
}
