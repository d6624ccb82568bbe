#!/usr/bin/env bash
# The GPU measurements the core and training issues ask for, as ONE device call (about 6-8 min on
# an H100). Run it with the device tool from the repository root, e.g.
#   run(command="bash benchmarks/gpu_checks.sh", timeout_s=590)
# Results land in $OUT (the device tool's folder), or ./gpu-results when OUT is unset.
# The GPU machine has its own torch, safetensors, OpenCV and tqdm; albumentations (training only) is
# not there and has to travel as wheels (see the device tool's README), which the inference and
# training-step benchmarks do not need.
set -uo pipefail
out="${OUT:-gpu-results}"
mkdir -p "$out"
export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}" PYTHONUNBUFFERED=1
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv | tee "$out/gpu.txt"
python3 -c "import torch; print('torch', torch.__version__, 'cuda', torch.version.cuda)" | tee -a "$out/gpu.txt"
# Inference: bs16 throughput, bs1 latency, 1024x1024 steady peak, each against plain fp32 eager.
timeout 240 python3 benchmarks/bench_inference.py --repeats 20 2>&1 | tee "$out/bench_inference.txt"
# Training: full objective, bs 8, 256x256, steady state, fp32 eager vs bf16 + channels_last.
timeout 240 python3 benchmarks/bench_train.py --json "$out/bench_train.json" 2>&1 | tee "$out/bench_train.txt"
