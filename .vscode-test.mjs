// @vscode/test-cli configuration for `npm run test:vscode` (downloads VS Code; not runnable offline).
// The suite under test/vscode/ is bundled to out/test/vscode/ by the test:vscode script first.
import { defineConfig } from '@vscode/test-cli';

export default defineConfig({
  label: 'extension',
  files: 'out/test/vscode/**/*.test.js',
  workspaceFolder: 'test/fixtures/extension/workspace',
  version: 'stable',
  mocha: { ui: 'tdd', timeout: 30000 },
});
