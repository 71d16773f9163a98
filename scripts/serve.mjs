// `npm run serve`: VS Code with Topdown in the browser, for trying it without a desktop VS Code.
// Packages the extension, installs it into the cached code-server (.cache/code-server, installed on first
// use), scaffolds a template project and serves it at http://127.0.0.1:8080 until Ctrl-C.
//
//   npm run serve                              the Sonar template, port 8080
//   npm run serve -- --template iris --port 8081 --quick
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const root = resolve(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    template: { type: 'string', default: 'sonar' },
    port: { type: 'string', default: '8080' },
    host: { type: 'string', default: '127.0.0.1' },
    quick: { type: 'boolean', default: false },
    'no-package': { type: 'boolean', default: false },
  },
});

function run(title, command, args, options = {}) {
  console.error(`serve: ${title}…`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options });
  if (result.status !== 0) {
    console.error(`serve: ${title} failed (exit code ${result.status ?? result.signal})`);
    process.exit(result.status ?? 1);
  }
}

const home = join(root, '.cache', 'serve');
const codeServer = join(root, '.cache', 'code-server', 'node_modules', '.bin', 'code-server');
const env = {
  ...process.env,
  EXTENSIONS_GALLERY: '{}',
  XDG_CONFIG_HOME: join(home, 'config'),
  XDG_DATA_HOME: join(home, 'data'),
  XDG_CACHE_HOME: join(home, 'cache'),
};
const common = ['--user-data-dir', join(home, 'user-data'), '--extensions-dir', join(home, 'extensions')];

run('installing code-server 4.100.3 (first time only)', 'bash', [
  join(root, 'scripts', 'e2e', 'install-code-server.sh'),
]);
if (!values['no-package']) run('packaging the extension', 'npm', ['run', 'package', '--silent']);
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
run(
  'installing Topdown into code-server',
  codeServer,
  [...common, '--force', '--install-extension', join(root, `topdown-${version}.vsix`)],
  { env },
);

const projectDir = join(home, 'projects', values.template);
if (!existsSync(join(projectDir, 'topdown.json'))) {
  run(`scaffolding the ${values.template} template`, process.execPath, [
    join(root, 'dist', 'cli.js'),
    'new',
    values.template,
    projectDir,
  ]);
}
const settingsDir = join(home, 'user-data', 'User');
mkdirSync(settingsDir, { recursive: true });
const settingsFile = join(settingsDir, 'settings.json');
const settings = existsSync(settingsFile) ? JSON.parse(readFileSync(settingsFile, 'utf8')) : {};
Object.assign(settings, {
  'topdown.quickMode': values.quick,
  'workbench.startupEditor': 'none',
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'update.mode': 'none',
});
writeFileSync(settingsFile, JSON.stringify(settings, null, 2));

const url = `http://${values.host}:${values.port}/?folder=${encodeURIComponent(projectDir)}`;
console.error(`serve: VS Code with Topdown at ${url} (Ctrl-C stops it)`);
// detached: code-server and the extension host form one process group, stopped together on Ctrl-C.
const server = spawn(
  codeServer,
  [
    ...common,
    '--bind-addr',
    `${values.host}:${values.port}`,
    '--auth',
    'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    projectDir,
  ],
  { cwd: projectDir, env, stdio: 'inherit', detached: true },
);
const stop = () => {
  try {
    process.kill(-server.pid, 'SIGTERM');
  } catch {
    // Already gone.
  }
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
server.on('exit', (code) => process.exit(code ?? 0));
