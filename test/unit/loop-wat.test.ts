import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { GEMM_KERNELS } from '../../src/core/models/loop/gemm-kernels';
import { assemble } from '../../src/core/models/loop/wat';

describe('assemble against wabt', () => {
  it("turns the loop's SIMD kernels into the same bytes as wabt's wat2wasm", async () => {
    // wabt (a devDependency) is the reference assembler; Topdown ships its own small one so that it needs no
    // build step, no binary in git and no 3 MB runtime dependency.
    const wabt = await (await import('wabt')).default();
    const module = wabt.parseWat('gemm-kernels.wat', GEMM_KERNELS, { simd: true });
    try {
      const reference = module.toBinary({ log: false, write_debug_names: false }).buffer;
      const ours = assemble(GEMM_KERNELS);
      assert.equal(ours.length, reference.length, 'the same length');
      assert.deepEqual(Buffer.from(ours), Buffer.from(reference));
      assert.ok(WebAssembly.validate(ours), 'a valid module');
    } finally {
      module.destroy();
    }
  });
});
