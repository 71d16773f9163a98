import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { findAccelerators } from '../../src/runner/backend-probe';
import { findGpuApart } from '../../src/runner/backend-webgpu';
import { projectWithWebgpu } from '../helpers/webgpu';

/** What Dawn printed on a machine without the Vulkan loader, with a path from the machine it was built on. */
const VULKAN_NOTE =
  "Couldn't load Vulkan: libvulkan.so.1: cannot open shared object file: No such file or directory (/home/builder/dawn/src/dawn/native/vulkan/BackendVk.cpp:212)";

/** A project with a stand-in `webgpu` of version 9.9.9. */
function projectWithGpu(body: string): string {
  return projectWithWebgpu(body, '9.9.9');
}

/** A binding that says what Dawn says without Vulkan, on stderr and on the console, and finds no adapter. */
const NO_VULKAN = `
process.stderr.write(${JSON.stringify(VULKAN_NOTE + '\n')});
export const globals = {};
export function create() {
  console.error('Warning: maxDynamicUniformBuffersPerPipelineLayout artificially reduced');
  return { requestAdapter: async () => null };
}
`;

/** Runs `work` and returns what this process wrote to stderr meanwhile (a person's terminal). */
async function stderrDuring<T>(work: () => Promise<T>): Promise<{ result: T; written: string }> {
  const original = process.stderr.write.bind(process.stderr);
  let written = '';
  process.stderr.write = ((chunk: string | Uint8Array) => {
    written += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  }) as typeof process.stderr.write;
  try {
    return { result: await work(), written };
  } finally {
    process.stderr.write = original;
  }
}

describe('looking for a GPU from the CLI', () => {
  it('keeps the driver’s Vulkan warning off the terminal and puts it in the reason instead', async () => {
    const project = projectWithGpu(NO_VULKAN);
    const { result, written } = await stderrDuring(() => findAccelerators(project));
    assert.equal(written, '');
    assert.ok(!result.names.includes('webgpu'));
    const reason = result.reasons.find((line) => line.startsWith('webgpu:'));
    assert.match(
      reason ?? '',
      /^webgpu: no GPU adapter was found; .*\(the driver said: Couldn't load Vulkan: /,
    );
    assert.ok(reason?.includes('artificially reduced'), reason);
  });

  it('finds the adapter the driver offers, flagging a software renderer', async () => {
    const adapter = (description: string): string => `
export const globals = {};
export function create() {
  console.error('Warning: a note from the driver');
  return { requestAdapter: async () => ({ info: { vendor: 'acme', architecture: 'x', device: '', description: '${description}' }, isFallbackAdapter: false }) };
}
`;
    const hardware = await stderrDuring(() => findAccelerators(projectWithGpu(adapter('Acme GPU 9000'))));
    assert.equal(hardware.written, '');
    assert.deepEqual(hardware.result.names.includes('webgpu'), true);
    assert.match(hardware.result.fingerprint, /webgpu 9\.9\.9 Acme GPU 9000/);

    const software = await findGpuApart(projectWithGpu(adapter('llvmpipe (LLVM 15.0.6, 256 bits)')));
    assert.ok(software.ok);
    assert.equal(software.adapter.software, true);
    assert.equal(software.adapter.vendor, 'acme');
  });

  it('says the package failed to load, with its first line, when the binding throws', async () => {
    const project = projectWithGpu("throw new Error('dawn.node: invalid ELF header\\nmore detail');\n");
    const lookup = await findGpuApart(project);
    assert.equal(lookup.ok, false);
    assert.match(
      lookup.ok ? '' : lookup.reason,
      /^webgpu: the webgpu package is installed but failed to load \(dawn\.node: invalid ELF header\); reinstall/,
    );
  });

  it('says what the lookup process printed last when it dies before answering', async () => {
    const project = projectWithGpu(
      "process.stderr.write('Segmentation fault in the driver\\n');\nprocess.exit(139);\n",
    );
    const lookup = await findGpuApart(project);
    assert.equal(lookup.ok, false);
    assert.match(
      lookup.ok ? '' : lookup.reason,
      /failed to load \(the lookup process exited with 139: Segmentation fault in the driver\)/,
    );
  });
});
