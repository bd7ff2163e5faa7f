#!/usr/bin/env node
// Runs the TypeScript sources directly: tsx compiles each module once as it is loaded.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
