// The validator of topdown.json compiled at build time: ajv's standalone code for schemas/topdown.schema.json with
// the options of src/core/schema-validator-options.json. esbuild.mjs puts it in place of src/core/schema-validator.ts,
// so the CLI, its workers and the extension do not compile the schema on every start (about half a second of CPU).
import Ajv from 'ajv';
import standaloneCode from 'ajv/dist/standalone/index.js';
import { readFileSync } from 'node:fs';

const root = new URL('..', import.meta.url);
const readJson = (path) => JSON.parse(readFileSync(new URL(path, root), 'utf8'));

/** CommonJS source of a module exporting `compileProjectValidator()`, as src/core/schema-validator.ts does. */
export function projectValidatorSource() {
  const ajv = new Ajv({
    ...readJson('src/core/schema-validator-options.json'),
    code: { source: true, esm: false },
  });
  const validate = ajv.compile(readJson('schemas/topdown.schema.json'));
  return `${standaloneCode(ajv, validate)}
const precompiled = module.exports;
module.exports = { compileProjectValidator: () => precompiled };
`;
}
