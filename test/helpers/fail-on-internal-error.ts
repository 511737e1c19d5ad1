// vitest setup file of the system tests: a test during which a daemon or client printed an
// `Internal error` fails, whatever it asserted itself.
import { afterAll, afterEach } from 'vitest';
import { takeInternalErrors } from './internal-errors.js';

const check = (): void => {
  const errors = takeInternalErrors();
  if (errors.length > 0) throw new Error(`Internal error printed during the test:\n${errors.join('\n')}`);
};

afterEach(check);
afterAll(check);
