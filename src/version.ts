import { readFileSync } from 'node:fs';

/** This server's version: package.json's, read once (it sits one level above both src/ and dist/). */
export const VERSION: string = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
