"""Train the learned click/box refiner (``meddisseg_core.interactive.refiner``) on the CPU.

    python scripts/train_click_refiner.py --out resources/models/click_refiner.safetensors \
        [--kvasir ../shared/data/Kvasir-SEG] [--clinicdb ../shared/data/CVC-ClinicDB] \
        [--clinic-maps clinicdb_maps.npz] [--minutes 45] [--seed 0]

Data: Kvasir-SEG train (880, never val) and CVC-ClinicDB (612), images scaled to at most 512 px.
Each sample is one prompt of an annotation session, simulated as in RITM:

- the current mask is the ground truth corrupted (grown, shrunk, shifted, bitten, a false blob
  added, the lesion dropped), or, for CVC-ClinicDB, half the time the shipped model's real
  proposal (that model never saw these frames). ``--clinic-maps`` keeps those maps (computed
  on the first run: 612 full frames and one box crop per lesion, ~20 min on 2 cores);
- 0-3 earlier clicks, each followed by a correction near it; after the first fifth of the run
  half the batches replay 1-2 rounds of the network's own corrections (RITM's iterative
  sampling), so it learns to correct its own mistakes;
- the new click goes where the benchmark's annotator puts it (the interior point farthest from
  the boundary of the largest error region), now and then elsewhere in that region;
- a quarter of the samples are box prompts: the lesion's box grown 2.5 % and jittered ±5 %, the
  prior inside it half the model's crop map (real or simulated) and half an inscribed ellipse.

Loss: binary cross-entropy plus soft Dice on the crop. bf16 autocast where the CPU has it.
Writes fp16 safetensors with the input rule and a card (JSON in the header and beside the file).
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from pathlib import Path

import cv2
import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from meddisseg_core.imageio import read_image, read_mask, to_model_uint8
from meddisseg_core.inference.capability import detect_cpu
from meddisseg_core.interactive import annotator
from meddisseg_core.interactive import refiner as R
from meddisseg_core.interactive.prompts import Click

MAX_SIDE = 512
BATCH = 16
HERE = Path(__file__).resolve().parents[1]


# -- data --------------------------------------------------------------------------------------
def load_folder(
    root: Path, list_name: str, limit: int | None = None
) -> list[tuple[str, np.ndarray, np.ndarray]]:
    names = [n.strip() for n in (root / list_name).read_text().splitlines() if n.strip()][:limit]
    out = []
    for name in names:
        image = to_model_uint8(read_image(root / "images" / name))
        gt = read_mask(root / "masks" / name, image.shape[:2]).astype(np.uint8)
        out.append((name, image, gt))
    return out


def shrink(image: np.ndarray, gt: np.ndarray, *maps: np.ndarray) -> tuple[np.ndarray, ...]:
    scale = min(1.0, MAX_SIDE / max(image.shape[:2]))
    if scale >= 1.0:
        return (image, gt.astype(bool), *maps)
    size = (round(image.shape[1] * scale), round(image.shape[0] * scale))
    small = cv2.resize(image, size, interpolation=cv2.INTER_AREA)
    small_gt = cv2.resize(gt, size, interpolation=cv2.INTER_NEAREST).astype(bool)
    return (small, small_gt, *(cv2.resize(m, size, interpolation=cv2.INTER_LINEAR) for m in maps))


def clinic_maps(path: Path, clinic: list, rng_seed: int) -> dict:
    """``{name: (full-frame map, [(box, crop map in the box)])}`` of the shipped model, cached in ``path``."""
    if not path.exists():
        from meddisseg_core.inference import Predictor
        from meddisseg_core.interactive.crops import expand_rect

        predictor = Predictor.from_path(None, device="cpu")
        rng = np.random.default_rng(rng_seed)
        arrays: dict[str, np.ndarray] = {}
        for name, image, gt in clinic:
            arrays[f"{name}|full"] = predictor.predict(image).probability.astype(np.float16)
            for i, box in enumerate(jittered_boxes(gt.astype(bool), rng)):
                x0, y0, x1, y1 = box
                crop = expand_rect(box, 0.3, gt.shape)
                q = predictor.predict(image[crop[1] : crop[3], crop[0] : crop[2]]).probability
                arrays[f"{name}|box{i}"] = q[y0 - crop[1] : y1 - crop[1], x0 - crop[0] : x1 - crop[0]].astype(
                    np.float16
                )
                arrays[f"{name}|rect{i}"] = np.asarray(box, np.int32)
        np.savez_compressed(path, **arrays)
    out: dict = {}
    with np.load(path, allow_pickle=False) as data:
        for key in data.files:
            name, part = key.split("|")
            full, boxes = out.get(name, (None, []))
            if part == "full":
                full = data[key]
            elif part.startswith("box"):
                boxes.append((tuple(int(v) for v in data[f"{name}|rect{part[3:]}"]), data[key]))
            out[name] = (full, boxes)
    return out


# -- simulation --------------------------------------------------------------------------------
def next_click(mask: np.ndarray, gt: np.ndarray, rng: np.random.Generator) -> Click | None:
    """The benchmark's annotator, with some noise (see ``meddisseg_core.interactive.annotator``)."""
    return annotator.next_click(mask, gt, rng, min_area=4)


def ellipse_mask(shape: tuple[int, int], rng: np.random.Generator, centre=None, axes=None) -> np.ndarray:
    h, w = shape
    out = np.zeros(shape, np.uint8)
    if centre is None:
        centre = (int(rng.integers(w)), int(rng.integers(h)))
    if axes is None:
        side = rng.uniform(0.05, 0.25) * min(h, w)
        axes = (max(2, int(side * rng.uniform(0.6, 1.4))), max(2, int(side * rng.uniform(0.6, 1.4))))
    cv2.ellipse(out, centre, axes, float(rng.uniform(0, 180)), 0, 360, 1, -1)
    return out.astype(bool)


def corrupt(gt: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A plausible wrong proposal made from the truth."""
    mask = gt.astype(np.uint8)
    size = max(4.0, float(np.sqrt(max(gt.sum(), 1))))
    roll = rng.random()
    if roll < 0.08:
        mask[:] = 0  # the lesion missed entirely
    else:
        if rng.random() < 0.7:  # grown or shrunk
            r = max(1, int(abs(rng.normal(0, 0.08)) * size))
            kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * r + 1, 2 * r + 1))
            mask = cv2.dilate(mask, kernel) if rng.random() < 0.5 else cv2.erode(mask, kernel)
        if rng.random() < 0.4:  # shifted / rescaled
            h, w = mask.shape
            ys, xs = np.nonzero(mask)
            if len(ys):
                cx, cy = xs.mean(), ys.mean()
                s = rng.uniform(0.85, 1.15)
                tx, ty = rng.normal(0, 0.08, 2) * size
                m = np.float32([[s, 0, (1 - s) * cx + tx], [0, s, (1 - s) * cy + ty]])
                mask = cv2.warpAffine(mask, m, (w, h), flags=cv2.INTER_NEAREST)
        if rng.random() < 0.4 and mask.any():  # a bite out of it
            ys, xs = np.nonzero(mask)
            k = int(rng.integers(len(ys)))
            axes = (max(2, int(size * rng.uniform(0.15, 0.5))), max(2, int(size * rng.uniform(0.15, 0.5))))
            mask[ellipse_mask(mask.shape, rng, (int(xs[k]), int(ys[k])), axes)] = 0
        if rng.random() < 0.3:  # a bulge or a false blob
            ys, xs = np.nonzero(cv2.dilate(gt.astype(np.uint8), np.ones((9, 9), np.uint8)) > 0)
            if rng.random() < 0.5 and len(ys):
                k = int(rng.integers(len(ys)))
                centre = (int(xs[k]), int(ys[k]))
            else:
                centre = None
            axes = (max(2, int(size * rng.uniform(0.1, 0.4))), max(2, int(size * rng.uniform(0.1, 0.4))))
            mask[ellipse_mask(mask.shape, rng, centre, axes)] = 1
    if rng.random() < 0.5:  # smooth like a network's output
        sigma = rng.uniform(1, 4)
        mask = (cv2.GaussianBlur(mask.astype(np.float32), (0, 0), sigma) >= 0.5).astype(np.uint8)
    return mask.astype(bool)


def correct_near(mask: np.ndarray, gt: np.ndarray, click: Click, rng: np.random.Generator) -> np.ndarray:
    """An earlier click's effect: the truth restored in a disc around it (sometimes imperfectly)."""
    error = mask != gt
    depth = float(
        cv2.distanceTransform(np.pad(error, 1).astype(np.uint8), cv2.DIST_L2, 5)[click.y + 1, click.x + 1]
    )
    radius = max(3, int(depth * rng.uniform(1.5, 4.0)))
    disc = np.zeros(mask.shape, np.uint8)
    cv2.circle(disc, (click.x, click.y), radius, 1, -1)
    out = mask.copy()
    out[disc > 0] = gt[disc > 0]
    return out


def jittered_boxes(gt: np.ndarray, rng: np.random.Generator) -> list[tuple[int, int, int, int]]:
    """Every lesion's box as the benchmark draws it (grown 2.5 % per side, each side jittered ±5 %)."""
    return [(b.x0, b.y0, b.x1, b.y1) for b in annotator.lesion_boxes(gt, rng)]


def jittered_box(gt: np.ndarray, rng: np.random.Generator) -> tuple[int, int, int, int] | None:
    boxes = jittered_boxes(gt, rng)
    return boxes[int(rng.integers(len(boxes)))] if boxes else None


def simulated_crop_prob(gt: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    wrong = corrupt(gt, rng).astype(np.float32)
    blurred = cv2.GaussianBlur(wrong, (0, 0), rng.uniform(1, 6))
    amplitude = rng.uniform(0.5, 1.0) if rng.random() < 0.75 else rng.uniform(0.0, 0.4)
    return np.clip(blurred * amplitude, 0, 1)


class Sampler:
    """Draws (input, target) pairs; state for a click sample is kept so it can be replayed."""

    def __init__(self, items: list, rng: np.random.Generator) -> None:
        self.items = items  # (image, gt, proposal or None, [(box, crop_prob)])
        self.rng = rng

    def click_state(self) -> tuple[int, np.ndarray, list[Click]] | None:
        rng = self.rng
        index = int(rng.integers(len(self.items)))
        _image, gt, proposal, _boxes = self.items[index]
        if proposal is not None and rng.random() < 0.5:
            mask = proposal >= 0.5
        elif rng.random() < 0.1:
            mask = np.zeros_like(gt)
        else:
            mask = corrupt(gt, rng)
        clicks: list[Click] = []
        for _ in range(int(rng.integers(0, 4))):
            click = next_click(mask, gt, rng)
            if click is None:
                break
            clicks.append(click)
            mask = correct_near(mask, gt, click, rng)
        return index, mask, clicks

    def click_sample(self, index: int, mask: np.ndarray, clicks: list[Click]):
        image, gt, _p, _b = self.items[index]
        click = next_click(mask, gt, self.rng)
        if click is None:
            return None
        clicks = [*clicks, click]
        rect = R.focus_rect(mask, clicks)
        return R.encode(image, mask, clicks, rect), target(gt, rect), (index, mask, clicks, rect)

    def box_sample(self):
        rng = self.rng
        index = int(rng.integers(len(self.items)))
        image, gt, _p, boxes = self.items[index]
        if boxes and rng.random() < 0.6:
            box, crop_prob = boxes[int(rng.integers(len(boxes)))]
        else:
            box = jittered_box(gt, rng)
            if box is None:
                return None
            crop_prob = simulated_crop_prob(gt, rng)[box[1] : box[3], box[0] : box[2]]
        x0, y0, x1, y1 = box
        prior = np.zeros(gt.shape, np.float32)
        prior[y0:y1, x0:x1] = R.box_prior(crop_prob)
        rect = R.square_rect(x0, y0, x1, y1, gt.shape)
        inside = np.zeros_like(gt)
        inside[y0:y1, x0:x1] = gt[y0:y1, x0:x1]
        return R.encode(image, prior, [], rect, box=box), target(inside, rect)


def target(gt: np.ndarray, rect: tuple[int, int, int, int]) -> np.ndarray:
    x0, y0, x1, y1 = rect
    crop = gt[y0:y1, x0:x1].astype(np.float32)
    return cv2.resize(crop, (R.INPUT_SIZE, R.INPUT_SIZE), interpolation=cv2.INTER_AREA)


def paste(net_prob: np.ndarray, mask: np.ndarray, rect) -> np.ndarray:
    x0, y0, x1, y1 = rect
    out = mask.copy()
    out[y0:y1, x0:x1] = cv2.resize(net_prob, (x1 - x0, y1 - y0), interpolation=cv2.INTER_LINEAR) >= 0.5
    return out


# -- training ----------------------------------------------------------------------------------
def loss_fn(logits: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    bce = torch.nn.functional.binary_cross_entropy_with_logits(logits, y)
    p = torch.sigmoid(logits)
    inter = (p * y).sum((1, 2, 3))
    dice = 1 - (2 * inter + 1) / (p.sum((1, 2, 3)) + y.sum((1, 2, 3)) + 1)
    return bce + dice.mean()


def make_batch(sampler: Sampler, net: torch.nn.Module, iterative: bool, autocast: bool):
    rng = sampler.rng
    xs, ys = [], []
    n_box = round(BATCH * 0.25)
    while len(xs) < n_box:
        got = sampler.box_sample()
        if got is not None:
            xs.append(got[0])
            ys.append(got[1])
    states = []
    while len(states) < BATCH - n_box:
        state = sampler.click_state()
        if state is not None:
            states.append(state)
    rounds = int(rng.integers(1, 3)) if iterative else 0
    for _ in range(rounds):  # the network's own corrections, no gradient
        drawn = [sampler.click_sample(*s) for s in states]
        live = [d for d in drawn if d is not None]
        if not live:
            break
        with torch.no_grad(), torch.autocast("cpu", dtype=torch.bfloat16, enabled=autocast):
            probs = torch.sigmoid(net(torch.from_numpy(np.stack([d[0] for d in live])))).float().numpy()
        new_states = []
        for d, prob in zip(live, probs, strict=False):
            index, mask, clicks, rect = d[2]
            new_states.append((index, paste(prob[0], mask, rect), clicks))
        states = new_states
    for state in states:
        got = sampler.click_sample(*state)
        if got is not None:
            xs.append(got[0])
            ys.append(got[1])
    x = torch.from_numpy(np.stack(xs))
    y = torch.from_numpy(np.stack(ys))[:, None]
    return x, y


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--kvasir", type=Path, default=HERE.parent / "shared" / "data" / "Kvasir-SEG")
    parser.add_argument("--clinicdb", type=Path, default=HERE.parent / "shared" / "data" / "CVC-ClinicDB")
    parser.add_argument(
        "--clinic-maps",
        type=Path,
        default=None,
        help="the shipped model's maps of CVC-ClinicDB (made if missing)",
    )
    parser.add_argument("--minutes", type=float, default=45.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--lr", type=float, default=2e-3)
    parser.add_argument("--init", type=Path, default=None, help="start from these refiner weights")
    parser.add_argument("--dry-run", action="store_true", help="20 images, 3 steps")
    args = parser.parse_args(argv)

    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)
    started = time.perf_counter()
    limit = 10 if args.dry_run else None  # a dry run reads only the images it uses
    kvasir = load_folder(args.kvasir, "train.txt", limit)
    clinic = load_folder(args.clinicdb, "all.txt", limit) if args.clinicdb.exists() else []
    probs = clinic_maps(args.clinic_maps, clinic, rng_seed=args.seed + 1) if args.clinic_maps else {}
    items = []
    for _name, image, gt in kvasir:
        small, small_gt = shrink(image, gt)
        items.append((small, small_gt, None, []))
    for name, image, gt in clinic:
        full, boxes = probs.get(name, (None, []))
        if full is not None:
            small, small_gt, small_p = shrink(image, gt, full.astype(np.float32))
        else:
            (small, small_gt), small_p = shrink(image, gt), None
        items.append((small, small_gt, small_p, [(b, q.astype(np.float32)) for b, q in boxes]))
    print(
        f"{len(kvasir)} Kvasir-SEG train + {len(clinic)} CVC-ClinicDB images, "
        f"loaded in {time.perf_counter() - started:.0f} s",
        flush=True,
    )

    net = R.RefinerNet()
    if args.init is not None:  # continue from an earlier run (its minutes count towards the hour)
        from safetensors.torch import load_file

        net.load_state_dict({k: v.float() for k, v in load_file(str(args.init)).items()})
    net = net.to(memory_format=torch.channels_last)
    params = sum(p.numel() for p in net.parameters())
    autocast = detect_cpu().native_bf16
    optimiser = torch.optim.AdamW(net.parameters(), lr=args.lr, weight_decay=1e-4)
    budget = 3 if args.dry_run else None
    sampler = Sampler(items, rng)
    deadline = started + args.minutes * 60
    step, losses = 0, []
    train_start = time.perf_counter()
    while True:
        now = time.perf_counter()
        if (budget is not None and step >= budget) or (budget is None and now >= deadline):
            break
        # The cosine schedule follows the clock, not a step count guessed early (a busy machine
        # would otherwise end the schedule long before the time budget).
        frac = 0.0 if budget is not None else (now - train_start) / max(1e-9, deadline - train_start)
        for group in optimiser.param_groups:
            group["lr"] = args.lr * 0.5 * (1 + np.cos(np.pi * frac))
        net.eval()
        x, y = make_batch(sampler, net, iterative=frac > 0.2 and rng.random() < 0.5, autocast=autocast)
        net.train()
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=autocast):
            logits = net(x.contiguous(memory_format=torch.channels_last))
        loss = loss_fn(logits.float(), y)
        optimiser.zero_grad(set_to_none=True)
        loss.backward()
        optimiser.step()
        losses.append(float(loss.detach()))
        step += 1
        if step % 500 == 0:  # a usable file even if the run is stopped early
            R.save_refiner(net, args.out.with_suffix(".partial.safetensors"), {"steps": step})
        if step % 50 == 0 or budget is not None:
            print(
                f"step {step} loss {np.mean(losses[-50:]):.4f} lr {optimiser.param_groups[0]['lr']:.2e} "
                f"{(time.perf_counter() - train_start) / step:.2f} s/step",
                flush=True,
            )
    minutes = (time.perf_counter() - started) / 60
    card = {
        "name": "click_refiner",
        "what": "learned click/box refiner of the prompt tools (meddisseg_core.interactive.refiner)",
        "data": {
            "kvasir_seg_train": len(kvasir),
            "cvc_clinicdb": len(clinic),
            "clinicdb_maps_from_shipped_model": bool(probs),
            "licence": "Kvasir-SEG and CVC-ClinicDB: research and education only",
        },
        "recipe": {
            "steps": step,
            "init": None if args.init is None else str(args.init.name),
            "batch": BATCH,
            "lr": args.lr,
            "seed": args.seed,
            "bf16_autocast": autocast,
            "input_size": R.INPUT_SIZE,
            "box_fraction": 0.25,
        },
        "params": params,
        "final_loss_mean_last_50": float(np.mean(losses[-50:])) if losses else None,
        "train_minutes": round(minutes, 1),
        "machine": f"{platform.machine()} {torch.get_num_threads()} threads, torch {torch.__version__}",
        "script": "scripts/train_click_refiner.py",
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    R.save_refiner(net.eval(), args.out, card)
    args.out.with_suffix(".json").write_text(json.dumps(card, indent=1) + "\n")
    print(json.dumps(card), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
