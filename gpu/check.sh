#!/usr/bin/env bash
# One-command check of a GPU node for pipebench:
#   1. the driver answers and a GPU is visible (nvidia-smi),
#   2. pipebench's own sampler reads that GPU (5 s at 10 Hz, with its cost),
#   3. `pipebench gpu info`, and a short sweep (workloads/quick.yaml) with GPU telemetry,
#   4. where the report is, and what it says about telemetry.
# Usage: gpu/check.sh [out-dir]      (env: NODE=/path/to/node when node is not on PATH)
# Exit: 0 all good, 1 a step failed (the message says which), 2 no driver/GPU.
set -uo pipefail
cd "$(dirname "$0")/.."
node_bin=${NODE:-node}
out=${1:-reports/gpu-check-$(date -u +%Y%m%dT%H%M%SZ)}
status=0

step() { printf '\n== %s\n' "$*"; }
fail() { printf 'FAIL: %s\n' "$*" >&2; status=1; }

step "driver and GPU"
if ! command -v nvidia-smi >/dev/null 2>&1; then
  echo "FAIL: nvidia-smi not found: no NVIDIA driver on this node (or not passed into the container: --gpus all)" >&2
  exit 2
fi
if ! nvidia-smi --query-gpu=index,name,driver_version,memory.total,power.limit,persistence_mode --format=csv; then
  echo "FAIL: nvidia-smi found no usable GPU (see its message above)" >&2
  exit 2
fi

step "node and build"
if ! "$node_bin" --version; then
  echo "FAIL: node not found; set NODE=/path/to/node (Node 20.18 or newer)" >&2
  exit 1
fi
if [[ ! -f dist/cli/bin.js ]]; then
  if command -v npm >/dev/null 2>&1; then npm run build || fail "npm run build"; else fail "dist/ missing and no npm to build it"; fi
fi

step "GPU sampler (5 s at 10 Hz)"
if ! "$node_bin" gpu/sampling-cost.mjs live 5 | tee /tmp/pipebench-gpu-check-sampler.json; then
  fail "sampler script"
elif ! grep -q '"status":"ok"' /tmp/pipebench-gpu-check-sampler.json; then
  fail "sampler did not report status ok (reason above)"
fi

step "pipebench gpu info"
"$node_bin" dist/cli/bin.js gpu info || fail "pipebench gpu info"

step "short sweep with telemetry (workloads/quick.yaml)"
if "$node_bin" dist/cli/bin.js run workloads/quick.yaml --quiet --out "$out"; then
  :
else
  code=$?
  # 1 = budget not met: the sweep itself worked.
  [[ $code -eq 1 ]] || fail "pipebench run exited with $code"
fi

step "report"
if [[ -f "$out/report.json" ]]; then
  echo "report: $out/report.json"
  "$node_bin" -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const t = r.gpuTelemetry ?? null;
    console.log("backend:", r.backend ? `${r.backend.name} (gpu: ${r.backend.gpu})` : "n/a");
    console.log("gpu telemetry:", t ? `${t.status}${t.reason ? ": " + t.reason : ""} (${t.samples} samples)` : "not in report");
    const h = r.harnessHealth ?? null;
    if (h) console.log("harness: cpu", (h.cpuShare * 100).toFixed(1) + "% of a core, event-loop delay p99", h.eventLoopDelay?.p99Ms?.toFixed(2), "ms");
    for (const w of r.warnings ?? []) console.log("warning:", w);
  ' "$out/report.json" || fail "reading $out/report.json"
else
  fail "no report at $out/report.json"
fi

exit $status
