#!/usr/bin/env node
// The `dfae` command (package bin; `npx dfae`, `npm run headless --`): registers the tsx loader in this
// process and runs the TypeScript CLI (cli.ts) in it, so signals reach the CLI directly and the cycle
// lock records this process. Exits with the CLI's code once stdout and stderr are flushed.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./cli.ts');
const code = await main(process.argv.slice(2));
await Promise.all([process.stdout, process.stderr].map((s) => new Promise((resolve) => s.write('', resolve))));
process.exit(code);
