#!/usr/bin/env node
import { main } from './main';

main(process.argv.slice(2), (s) => process.stdout.write(s), (s) => process.stderr.write(s)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`dl-doctor: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 2;
  },
);
