#!/usr/bin/env bash
# Samples/s of webgpu against wasm and cpu on a machine with an NVIDIA GPU, Node.js 20 and no network.
# Run from the repository root. Uses bench/gpu/out (made here by `node bench/gpu/build.mjs`, carried along)
# when present, else the repository's node_modules through tsx.
# Workloads: cnn28 (28×28 CNN, batch 200), cnn (8×8 digits CNN, batch 32), mlp (batch 5), lstm (LSTM(50)).
# Writes "$OUT/gpu-bench.json" (or ./gpu-bench.json without $OUT) and prints the table.
# BENCH_SCALE=0.05 BENCH_SECONDS=1 makes it a quick check (for llvmpipe); defaults: 1 and 4 (under 5 minutes).
set -uo pipefail
cd "$(dirname "$0")/../.."
out="${OUT:-.}"
scale="${BENCH_SCALE:-1}"
seconds="${BENCH_SECONDS:-4}"
mkdir -p "$out"

# The Vulkan loader: a bare machine may lack it; carried .deb files (.gl/) provide it.
if ! ldconfig -p | grep -q 'libvulkan\.so\.1'; then
  if compgen -G '.gl/*.deb' >/dev/null; then
    for f in .gl/*.deb; do dpkg -x "$f" /; done
    ldconfig
  fi
fi
ldconfig -p | grep libvulkan || echo 'no libvulkan found: webgpu will be reported as not available'
command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,driver_version --format=csv,noheader

# No Node.js on the machine: use the one packed by `node bench/gpu/build.mjs --with-node`.
if ! command -v node >/dev/null && [ -f bench/gpu/out/node.xz ]; then
  mkdir -p /tmp/node-bin
  python3 -c 'import lzma, shutil, sys; shutil.copyfileobj(lzma.open(sys.argv[1]), open(sys.argv[2], "wb"))' \
    bench/gpu/out/node.xz /tmp/node-bin/node
  chmod +x /tmp/node-bin/node
  export PATH="/tmp/node-bin:$PATH"
fi
node --version || { echo 'no Node.js: build with `node bench/gpu/build.mjs --with-node` and carry bench/gpu/out'; exit 2; }

if [ -f bench/gpu/out/bench.js ]; then
  bench=(node bench/gpu/out/bench.js)
else
  bench=(node --import tsx bench/backends.mjs)
fi

# Dawn finds no adapter when the driver's Vulkan ICD is not where the loader looks: point it there.
adapter_check='const m=require("node:module");const p=m.createRequire(process.cwd()+"/bench/gpu/out/x.js");
let w;try{w=p.resolve("webgpu")}catch{w=m.createRequire(process.cwd()+"/package.json").resolve("webgpu")}
import(require("node:url").pathToFileURL(w).href).then(async({create})=>{const a=await create([]).requestAdapter();
console.log(a?("adapter: "+(a.info.description||a.info.device)):"adapter: none");process.exit(a?0:1)})'
if ! node -e "$adapter_check"; then
  nvidia_icd=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
  if [ -f "$nvidia_icd" ]; then
    export VK_DRIVER_FILES="$nvidia_icd"
    echo "VK_DRIVER_FILES=$nvidia_icd"
    node -e "$adapter_check"
  fi
fi

# One process per backend, each with its own time limit, so a slow or crashing one cannot cost the others.
# Plain JavaScript trains the 28×28 CNN at a few samples/s, so cpu gets a hundredth of its rows, in a run of its own.
status=0
run() { # name limit scale workloads
  timeout "$2" "${bench[@]}" --backends "${1%-*}" --workloads "$4" --seconds "$seconds" --scale "$3" \
    --json "$out/bench-$1.json" || status=$?
}
run webgpu 120 "$scale" cnn28,cnn,mlp,lstm
run wasm 90 "$scale" cnn28,cnn,mlp,lstm
run cpu 60 "$scale" cnn,mlp,lstm
run cpu-cnn28 30 "$(node -e "console.log($scale / 100)")" cnn28

node -e '
const fs = require("node:fs");
const out = process.argv[1];
const merged = { samplesPerSecond: {}, devices: {}, scale: {}, node: process.version };
for (const part of ["webgpu", "wasm", "cpu", "cpu-cnn28"]) {
  const file = `${out}/bench-${part}.json`;
  if (!fs.existsSync(file)) continue;
  const report = JSON.parse(fs.readFileSync(file, "utf8"));
  for (const [backend, speeds] of Object.entries(report.samplesPerSecond))
    merged.samplesPerSecond[backend] = { ...merged.samplesPerSecond[backend], ...speeds };
  Object.assign(merged.devices, report.devices);
  merged.scale[part] = report.scale;
  fs.unlinkSync(file);
}
fs.writeFileSync(`${out}/gpu-bench.json`, JSON.stringify(merged, null, 2) + "\n");
const names = Object.keys(merged.samplesPerSecond);
console.log(["workload", ...names.map((name) => `${name} samples/s`)].join("\t"));
for (const workload of ["cnn28", "cnn", "mlp", "lstm"])
  console.log([workload, ...names.map((name) => (merged.samplesPerSecond[name][workload] ?? NaN).toFixed(0))].join("\t"));
console.log(JSON.stringify(merged.devices));
' "$out"
exit "$status"
