#!/usr/bin/env node
// The `topdown` command: the bundled runner/CLI (built by `npm run build`).
require('../dist/cli.js');
