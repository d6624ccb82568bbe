#!/usr/bin/env bash
# Mutation testing of the core modules with cosmic-ray (too slow for CI; see README "Mutation testing").
#
#   bash scripts/mutation.sh                 # every module below
#   bash scripts/mutation.sh metrics undo    # some modules, by name
#   MUTATION_OUT=/tmp/mut bash scripts/mutation.sh atomic
#   bash scripts/mutation.sh --rerun-survivors undo   # re-test only the last run's survivors
#
# Why a copy: cosmic-ray writes each mutant into the source file on disk. It works on a copy of
# the working tree (tracked and untracked, not ignored), so an interrupted run never leaves a
# mutant behind in the checkout. `meddisseg_studio` is the folder `app/`, so the copy gets a
# small import shim that maps the name to the copy's app/ ahead of the editable install.
#
# Each module runs only its own tests, fail-fast, with a per-mutant timeout (a timeout counts as
# killed). Results: $MUTATION_OUT/<module>.sqlite, a survivors list <module>.survivors.txt and one
# summary line per module in $MUTATION_OUT/scores.tsv. Surviving mutants that cannot be killed are
# explained in scripts/mutation_equivalents.md.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PY="${PYTHON:-python3}"
OUT="${MUTATION_OUT:-$ROOT/build/mutation}"
RERUN=0
if [[ "${1:-}" == "--rerun-survivors" ]]; then
  RERUN=1
  shift
fi
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"

# name | module path | per-mutant timeout (s) | extra operators to skip | test files (their own, fast ones)
# NumberReplacer is skipped where the literals are mostly format constants and epsilons (imageio:
# 170 of its 283 mutants, losses: 258 of 483): each would cost a full test run for little insight.
MODULES=(
  "atomic|meddisseg_core/atomic.py|60||tests/core/test_atomic_failures.py tests/app/state/test_store_real_writer.py tests/app/state/test_save_failure.py"
  "keymap|meddisseg_core/nn/keymap.py|90||tests/core/nn/test_state_dict_keys.py tests/core/nn/test_keymap_rules.py"
  "coco|app/export/coco.py|90||tests/app/export/test_coco_round_trip.py tests/app/export/test_export_cancel.py"
  "load|meddisseg_core/checkpoint/load.py|120||tests/core/checkpoint/test_errors.py tests/core/checkpoint/test_roundtrip.py tests/core/checkpoint/test_inference_only.py tests/core/checkpoint/test_load_tiny_authors.py"
  "metrics|meddisseg_core/metrics.py|60||tests/core/inference/test_metrics_six.py tests/core/inference/test_metrics_values.py"
  "undo|app/state/undo.py|90||tests/app/state/test_undo_budget.py tests/app/state/test_undo_property.py tests/app/state/test_edit_session.py"
  "edits|app/state/edits.py|90||tests/app/state/test_mask_edit.py tests/app/state/test_mask_edit_contract.py tests/app/state/test_undo_property.py tests/app/state/test_edit_session.py"
  "imageio|meddisseg_core/imageio.py|60|NumberReplacer|tests/core/inference/test_imageio_headers.py tests/core/inference/test_imageio_failures.py tests/core/inference/test_imageio_read.py tests/core/inference/test_imageio_mask.py tests/core/inference/test_imageio_errors.py tests/core/inference/test_infer_preprocessing.py"
  "dispersive|meddisseg_core/losses/dispersive.py|90||tests/train/test_dispersive_variants.py tests/train/test_dispersive_pooled_value.py tests/train/test_loss_conformance.py"
  "losses|meddisseg_core/losses|90|NumberReplacer|tests/train/test_loss_conformance.py tests/train/test_dispersive_variants.py tests/train/test_dispersive_pooled_value.py tests/train/test_loss_parts.py tests/train/test_color_aug.py"
)

# One mutant per operator kind, not cosmic-ray's full cross product (132 binary-operator swaps
# alone): the set stays runnable module by module on a 2-core machine.
KEEP='ReplaceBinaryOperator_(Add_Sub|Sub_Add|Mul_Div|Div_Mul|FloorDiv_Div|Mod_FloorDiv|Pow_Mul|BitAnd_BitOr|BitOr_BitAnd)$'
KEEP+='|ReplaceComparisonOperator_(Eq_NotEq|NotEq_Eq|Lt_LtE|LtE_Lt|Gt_GtE|GtE_Gt|Is_IsNot|IsNot_Is|In_NotIn|NotIn_In)$'
KEEP+='|ReplaceUnaryOperator_(USub_UAdd|Delete_Not|Delete_USub)$'
KEEP+='|AddNot$|ReplaceTrueWithFalse$|ReplaceFalseWithTrue$|ReplaceAndWithOr$|ReplaceOrWithAnd$'
KEEP+='|ReplaceBreakWithContinue$|ReplaceContinueWithBreak$|ExceptionReplacer$|NumberReplacer$|ZeroIterationForLoop$'

SHARED="${MEDDISSEG_SHARED:-$ROOT/../shared}"
COPY="$(mktemp -d "${TMPDIR:-/tmp}/meddisseg-mutation.XXXXXX")"
(cd "$ROOT" && git ls-files -z --cached --others --exclude-standard | xargs -0 cp --parents -t "$COPY" 2>/dev/null || true)
mkdir -p "$COPY/.shim"
ln -s "$COPY/app" "$COPY/.shim/meddisseg_studio"
export PYTHONPATH="$COPY/.shim:$COPY" MEDDISSEG_SHARED="$SHARED" QT_QPA_PLATFORM=offscreen
export PYTHONDONTWRITEBYTECODE=1

# Every mutant's test run goes through the fork server (scripts/mutation_forkserver.py).
SOCK="$COPY/.forkserver.sock"
(cd "$COPY" && exec "$PY" scripts/mutation_forkserver.py serve "$SOCK") &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null; rm -rf "$COPY"' EXIT
for _ in $(seq 600); do [[ -S "$SOCK" ]] && break; sleep 0.2; done
PYTEST="$PY scripts/mutation_forkserver.py run $SOCK -- -x -q -p no:cacheprovider -p no:benchmark"

score_line() {  # name sqlite -> "name killed survived total score%"
  "$PY" - "$1" "$2" <<'EOF'
import json, sqlite3, sys
name, db = sys.argv[1], sys.argv[2]
con = sqlite3.connect(db)
rows = con.execute(
    "select upper(r.test_outcome), upper(r.worker_outcome) from work_results r"
).fetchall()
killed = sum(1 for t, w in rows if w == "NORMAL" and t == "KILLED")
survived = sum(1 for t, w in rows if w == "NORMAL" and t == "SURVIVED")
other = sum(1 for t, w in rows if w not in ("NORMAL", "SKIPPED"))
total = killed + survived
print(f"{name}\t{killed}\t{survived}\t{other}\t{total}\t{100.0 * killed / max(total, 1):.1f}")
EOF
}

survivors() {  # sqlite -> one line per surviving mutant
  "$PY" - "$1" <<'EOF'
import sqlite3, sys
con = sqlite3.connect(sys.argv[1])
rows = con.execute(
    "select m.module_path, m.start_pos_row, m.start_pos_col, m.operator_name, m.occurrence "
    "from mutation_specs m join work_results r on r.job_id = m.job_id "
    "where upper(r.worker_outcome) = 'NORMAL' and upper(r.test_outcome) = 'SURVIVED' "
    "order by m.module_path, m.start_pos_row, m.start_pos_col, m.operator_name"
).fetchall()
for path, row, col, op, occ in rows:
    print(f"{path}:{row}:{col}\t{op.removeprefix('core/')}\t#{occ}")
EOF
}

wanted=("$@")
printf 'module\tkilled\tsurvived\terrors\ttotal\tscore%%\n' >"$OUT/scores.tsv.new"
for entry in "${MODULES[@]}"; do
  IFS='|' read -r name path timeout skip tests <<<"$entry"
  if ((${#wanted[@]})) && [[ ! " ${wanted[*]} " == *" $name "* ]]; then
    continue
  fi
  present=""
  for t in $tests; do [[ -f "$COPY/$t" ]] && present+=" $t"; done
  if [[ -z "$present" ]]; then
    echo "== $name: none of its tests exist, skipped" >&2
    continue
  fi
  extra=""
  [[ -n "$skip" ]] && extra=", \"core/$skip\""
  cfg="$OUT/$name.toml"
  db="$OUT/$name.sqlite"
  cat >"$cfg" <<EOF
[cosmic-ray]
module-path = "$path"
timeout = $timeout.0
excluded-modules = []
test-command = "$PYTEST$present"

[cosmic-ray.distributor]
name = "local"

[cosmic-ray.filters.operators-filter]
exclude-operators = ["core/(?!($KEEP))"$extra]
EOF
  echo "== $name: $path ($present )"
  (
    cd "$COPY"
    # The mutants must be imported from the copy, never from the checkout's editable install.
    "$PY" -c "import sys, meddisseg_core, meddisseg_studio as s; sys.exit(not all(
        m.__file__.startswith('$COPY') for m in (meddisseg_core, s)))" ||
      { echo "imports do not resolve to the copy $COPY" >&2; exit 1; }
    # Baseline: the unmutated module must pass its tests, or every mutant would count as killed.
    # shellcheck disable=SC2086
    $PYTEST $present >"$OUT/$name.baseline.log" 2>&1 ||
      { echo "baseline fails for $name: see $OUT/$name.baseline.log" >&2; exit 1; }
    if ((RERUN)) && [[ -f "$db" ]]; then
      # Forget the survivors' results so exec re-runs exactly them against today's tests.
      "$PY" - "$db" <<'EOF'
import sqlite3, sys
con = sqlite3.connect(sys.argv[1])
con.execute("delete from work_results where upper(worker_outcome) = 'NORMAL' and upper(test_outcome) = 'SURVIVED'")
con.commit()
EOF
    else
      rm -f "$db"
      "$PY" -m cosmic_ray.cli init "$cfg" "$db" >/dev/null
      "$PY" -m cosmic_ray.tools.filters.operators_filter "$db" "$cfg" >/dev/null
    fi
    "$PY" -m cosmic_ray.cli exec "$cfg" "$db" >/dev/null 2>"$OUT/$name.log" || true
  )
  survivors "$db" >"$OUT/$name.survivors.txt"
  score_line "$name" "$db" | tee -a "$OUT/scores.tsv.new"
done
mv "$OUT/scores.tsv.new" "$OUT/scores.tsv"
column -t "$OUT/scores.tsv"
