// Every test file: what it creates in the temp dir is gone when it ends.
import { afterAll } from 'vitest';
import { isolateTempFiles } from '../helpers/temp-files.js';

// Registered first, so it runs after the file's own afterAll hooks.
afterAll(isolateTempFiles());
