// Creates the data directory and a schema file, as a migration would.
import { mkdirSync, writeFileSync } from 'node:fs';

const dir = process.env.DATA_DIR ?? 'data';
mkdirSync(dir, { recursive: true });
writeFileSync(`${dir}/schema.json`, JSON.stringify({ version: 1, migratedAt: new Date().toISOString() }));
console.log(`migrated ${dir}/schema.json to version 1`);
