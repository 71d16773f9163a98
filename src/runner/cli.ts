/** The `topdown` command line. */
process.stderr.write('topdown: not built yet\n');
process.exitCode = 1;
