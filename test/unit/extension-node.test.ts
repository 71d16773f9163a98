import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  chooseNode,
  findOnPath,
  NodeNotFoundError,
  type NodeEnvironment,
} from '../../src/extension/jobs/node';

const folder = mkdtempSync(join(tmpdir(), 'topdown-node-'));
const binWithNode = join(folder, 'bin');
mkdirSync(binWithNode);
writeFileSync(join(binWithNode, 'node'), '#!/bin/sh\n');
const emptyBin = join(folder, 'empty');
mkdirSync(emptyBin);

function environment(overrides: Partial<NodeEnvironment>): NodeEnvironment {
  return {
    setting: '',
    backend: 'auto',
    pathVariable: `${emptyBin}:${binWithNode}`,
    editorExecPath: '/opt/editor/code',
    platform: 'linux',
    ...overrides,
  };
}

describe('chooseNode', () => {
  it('uses the topdown.nodePath setting first', () => {
    const setting = join(binWithNode, 'node');
    const choice = chooseNode(environment({ setting }));
    assert.equal(choice.execPath, setting);
    assert.equal(choice.source, 'setting');
    assert.deepEqual(choice.env, {});
  });

  it('refuses a setting that is not an executable file, naming the setting and the value', () => {
    assert.throws(
      () => chooseNode(environment({ setting: join(folder, 'missing-node') })),
      (error: Error) =>
        error instanceof NodeNotFoundError && /topdown\.nodePath.*missing-node/.test(error.message),
    );
  });

  it('finds node on PATH when the setting is empty, skipping folders without it', () => {
    const choice = chooseNode(environment({}));
    assert.equal(choice.execPath, join(binWithNode, 'node'));
    assert.equal(choice.source, 'path');
    assert.equal(choice.backend, 'auto');
  });

  it('falls back to the editor runtime as Node, and turns auto into wasm since native TensorFlow cannot load there', () => {
    const choice = chooseNode(environment({ pathVariable: emptyBin }));
    assert.equal(choice.execPath, '/opt/editor/code');
    assert.deepEqual(choice.env, { ELECTRON_RUN_AS_NODE: '1' });
    assert.equal(choice.backend, 'wasm');
    assert.match(choice.reason, /ELECTRON_RUN_AS_NODE/);
  });

  it('keeps an explicit cpu backend on the editor runtime', () => {
    assert.equal(chooseNode(environment({ pathVariable: emptyBin, backend: 'cpu' })).backend, 'cpu');
  });

  it('refuses the native backends (tensorflow, webgpu) without a real Node.js and says what to do', () => {
    for (const backend of ['tensorflow', 'webgpu']) {
      assert.throws(
        () => chooseNode(environment({ pathVariable: emptyBin, backend })),
        new RegExp(`The ${backend} backend needs a real Node\\.js.*topdown\\.nodePath`),
      );
    }
  });
});

describe('findOnPath', () => {
  it('looks for node.exe on Windows PATH entries separated by semicolons', () => {
    const seen: string[] = [];
    const found = findOnPath('C:\\a;C:\\b', 'win32', (path) => {
      seen.push(path);
      return path.startsWith('C:\\b') && path.endsWith('node.exe');
    });
    assert.ok(found?.endsWith('node.exe'));
    assert.ok(seen.some((path) => path.startsWith('C:\\a')));
  });
});
