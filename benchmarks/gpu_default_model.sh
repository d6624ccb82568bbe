#!/usr/bin/env bash
# ONE GPU call that makes the shipped default model (issue 7). From the repository root:
#
#   bash benchmarks/gpu_default_model.sh [--init resources/models/default.safetensors] [--dry-run]
#
# In order, each result written before the next step starts:
#   1. GPU / torch / library versions                          -> log.txt
#   1b. A/B the training step, eager against compiled regions (compile_regions), 16 steps each:
#       top ops by GPU time, images/s, peak memory, per-step losses -> log.txt; the faster trains
#   2. train stage 2 for a time budget (configs/gpu-default.toml) -> events.jsonl (streamed)
#      on the pack's train.txt: Kvasir-SEG train + all of CVC-ClinicDB (issue 20); val is Kvasir's
#   3. evaluate the trained model on the 120 val images at 256 and at original size
#   4. pack it (int8, <= 38 MB)                                 -> default.safetensors.part-NN-of-MM
#   5. evaluate the packed model, compare with the unpacked one
#   5b. review-queue ranking of the packed model: uncertainty head vs entropy -> log.txt, card
#   6. the model card                                           -> default.md, default.json
#   6b. the CUDA path check: `meddisseg selftest` on the packed model, and its CUDA masks against
#       its CPU masks on 4 val images                            -> log.txt
#   7. under a hard timeout, the inference benchmarks (bs16 throughput, bs1 latency, 1024² peak)
# A crash or a timeout in a late step still leaves the earlier files, the model among them.
# Results go to $OUT (the device tool's folder), or ./gpu-results when OUT is unset; at most 7
# files, none over 16 MB. The whole script ends by GPU_DEADLINE_S (575 s) after its start.
#
# --dry-run: the same steps on the CPU with the tiny network, 8 images (6 train + 2 val, built
# from ../shared/data/Kvasir-SEG) and a 20 s budget; CI runs it (tests/train/test_gpu_dry_run.py).
# The exact device call and the install step: benchmarks/README.md.
set -uo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)
deadline=${GPU_DEADLINE_S:-575}
py=${PYTHON:-python3}
out="${OUT:-gpu-results}"
dry=0
init=""
while [ $# -gt 0 ]; do
  case "$1" in
    --dry-run) dry=1 ;;
    --init) init="${2:?--init needs a path}"; shift ;;
    *) echo "gpu_default_model.sh: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
mkdir -p "$out"
work="$(mktemp -d "${TMPDIR:-/tmp}/meddisseg-gpu.XXXXXX")"
exec > >(tee -a "$out/log.txt") 2>&1
export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}" PYTHONUNBUFFERED=1
elapsed() { echo $(( $(date +%s) - started )); }
left() { echo $(( deadline - $(elapsed) )); }
say() { echo "== [$(elapsed) s] $*"; }

say "1. environment (dry run: $dry; init: ${init:-scratch})"
command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv
timeout 90 "$py" benchmarks/gpu_default_steps.py env --json "$work/env.json"

if [ "$dry" = 1 ]; then
  data="$work/pack"
  "$py" benchmarks/gpu_datapack.py --source "${KVASIR_DIR:-../shared/data/Kvasir-SEG}" --out "$data" \
    --clinicdb "${CLINICDB_DIR:-../shared/data/CVC-ClinicDB}" --limit 6 --val-limit 2 --size 32 || exit 1
  device=cpu
  budget=20
  arms=off,aot_eager; steps=6; profile_steps=2
  extra=(--config configs/gpu-dry-run.toml)
else
  data=.gpu-pack
  "$py" benchmarks/gpu_datapack.py --out "$data" --verify || { say "the data pack is missing or damaged"; exit 1; }
  device=cuda
  arms=off,inductor; steps=16; profile_steps=6
  extra=()
fi
say "1b. the training step, eager against compiled regions (${arms}; ${steps} steps each, profiled)"
timeout -k 10 "${AB_TIMEOUT_S:-200}" "$py" benchmarks/gpu_default_steps.py profile --data "$data" \
  --work "$work/profile" --config configs/gpu-default.toml ${extra[@]+"${extra[@]}"} \
  --device "$device" --arms "$arms" --steps "$steps" --profile-steps "$profile_steps" \
  --json "$work/speed.json" --verdict "$work/speed.toml"
say "A/B exit code $?"
# The chosen arm (nothing written, e.g. on a timeout: the recipe's own setting, eager).
[ -s "$work/speed.toml" ] && extra+=(--config "$work/speed.toml")
if [ "$dry" = 0 ]; then
  # Leave room for: training setup and finish (~40 s), two evaluations (~45 s), the ranking
  # (~15 s), packing and the card (~20 s), the CUDA path check (~20 s), the benchmarks (~60 s);
  # and for the regions' compile in the training process (cached by the A/B, measured there).
  compile_s=$(sed -n 's/^# compile_s = \([0-9]*\).*/\1/p' "$work/speed.toml" 2>/dev/null)
  budget=$(( $(left) - 220 - ${compile_s:-0} ))
fi
[ -n "$init" ] && extra+=(--init "$init")

train() {  # train RUN_DIR BUDGET [more flags]
  local run=$1 seconds=$2
  shift 2
  say "2. train for ${seconds} s into $run"
  timeout -k 10 $(( seconds + 120 )) "$py" -m meddisseg_core train --data "$data" --stage 2 --out "$run" \
    --config configs/gpu-default.toml ${extra[@]+"${extra[@]}"} --time-budget "$seconds" --device "$device" \
    --events "$out/events.jsonl" "$@"
  say "training exit code $?"
}
run="$work/run"
train "$run" "$budget"
if [ ! -f "$run/best.safetensors" ] && grep -q '"out_of_memory"' "$out/events.jsonl" 2>/dev/null; then
  # Out of memory before any model: once more at half the batch (same learning rate).
  run="$work/run-bs16"
  train "$run" $(( $(left) - 220 )) --batch-size 16
fi
model="$run/model.safetensors"
[ -f "$model" ] || model="$run/best.safetensors"

say "3. evaluate the trained model ($model)"
timeout 150 "$py" benchmarks/gpu_default_steps.py evaluate --model "$model" --data "$data" \
  --json "$work/eval_full.json" --save-probabilities "$work/full.npz"
say "4. pack"
timeout 120 "$py" benchmarks/gpu_default_steps.py pack --run "$run" --eval "$work/eval_full.json" \
  --work "$work" --out "$out" --data-pack "$data/PACK.json" --init "$init"
say "5. evaluate the packed model"
timeout 150 "$py" benchmarks/gpu_default_steps.py evaluate --model "$work/default.safetensors" \
  --data "$data" --json "$work/eval_packed.json" --compare "$work/full.npz" \
  --save-probabilities "$work/packed.npz"
say "5b. review-queue ranking: uncertainty head against entropy (packed model)"
timeout 90 "$py" benchmarks/bench_uncertainty_ranking.py --weights "$work/default.safetensors" \
  --data "$data" --device "$device" --json "$work/ranking.json"
say "6. model card"
timeout 60 "$py" benchmarks/gpu_model_card.py --out "$out" --events "$out/events.jsonl" \
  --env "$work/env.json" --eval-full "$work/eval_full.json" --eval-packed "$work/eval_packed.json" \
  --packed-info "$work/packed.json" --previous resources/models/default.json --init "$init" \
  --data-pack "$data/PACK.json" --ranking "$work/ranking.json" --speed "$work/speed.json" \
  --wall-seconds "$(elapsed)"

say "6b. CUDA path check: selftest on $device, then the packed model's masks on the CPU against $device"
timeout 60 "$py" -m meddisseg_core selftest --device "$device" --weights "$work/default.safetensors"
head -n 4 "$data/val.txt" >"$work/few.txt"
timeout 60 "$py" benchmarks/gpu_default_steps.py evaluate --model "$work/default.safetensors" \
  --data "$data" --split "$work/few.txt" --device cpu --json "$work/eval_cpu.json" \
  --compare "$work/packed.npz"

bench=$(( $(left) - 5 ))
[ "$bench" -gt 150 ] && bench=150
if [ "$bench" -ge 20 ]; then
  say "7. inference benchmarks (hard timeout ${bench} s)"
  timeout -k 5 "$bench" "$py" benchmarks/gpu_default_steps.py bench --repeats 20
else
  say "7. inference benchmarks skipped: ${bench} s left"
fi
say "done; $(ls "$out" | wc -l) files in $out:"
ls -l "$out"
