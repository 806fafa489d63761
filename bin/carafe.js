#!/usr/bin/env node
// The `carafe` command. Projects are written in TypeScript (carafe.config.ts, models,
// migrations), so tsx is registered before anything of the project is imported.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('carafe/cli');
process.exitCode = await main(process.argv.slice(2));
