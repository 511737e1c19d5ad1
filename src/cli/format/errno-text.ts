// strerror(3) for the errno numbers a service reports with ERRNO= (status's "Error: 5 (Input/output error)").
// Node 20 has no strerror(); these are glibc's texts for Linux.
const TEXTS: readonly string[] = [
  'Success',
  'Operation not permitted',
  'No such file or directory',
  'No such process',
  'Interrupted system call',
  'Input/output error',
  'No such device or address',
  'Argument list too long',
  'Exec format error',
  'Bad file descriptor',
  'No child processes',
  'Resource temporarily unavailable',
  'Cannot allocate memory',
  'Permission denied',
  'Bad address',
  'Block device required',
  'Device or resource busy',
  'File exists',
  'Invalid cross-device link',
  'No such device',
  'Not a directory',
  'Is a directory',
  'Invalid argument',
  'Too many open files in system',
  'Too many open files',
  'Inappropriate ioctl for device',
  'Text file busy',
  'File too large',
  'No space left on device',
  'Illegal seek',
  'Read-only file system',
  'Too many links',
  'Broken pipe',
  'Numerical argument out of domain',
  'Numerical result out of range',
];

/** glibc's text for errno `n`, or "Unknown error n" as strerror() says for numbers it does not know. */
export function errnoText(n: number): string {
  return TEXTS[n] ?? `Unknown error ${n}`;
}
