#!/usr/bin/env python3
"""Writes the golden files under tests/assets/golden/ from references that are not this project's C# code.

- Chat template: the model's own Jinja template rendered with jinja2, configured as transformers'
  apply_chat_template configures it (trim_blocks, lstrip_blocks, loopcontrols).
- Images: encoded and decoded with Pillow; EXIF orientation with PIL.ImageOps.exif_transpose; alpha composited with
  Image.paste(mask=alpha) on white (qwen-vl-utils' to_rgb); resized with Image.resize(BICUBIC) (what the HF image
  processor calls); rescale/normalise/patchify as numpy array operations (reshape + transpose, the HF formulation).
- smart_resize, get_window_index, get_rope_index and the vision rotary table as numpy/plain-Python formulations of the
  transformers source (tensor reshapes, pads and masks, not the loops the C# port uses).

Run with Debian's python3 (apt-get install python3-pil python3-numpy python3-jinja2) from the repository root:
    python3 tests/tools/make_golden.py
The outputs are committed; CI does not run this script.
"""
import io
import json
import math
import os

import jinja2
import jinja2.ext
import numpy as np
from PIL import Image, ImageOps

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ASSETS = os.path.join(ROOT, "assets")
GOLDEN = os.path.join(ASSETS, "golden")
IMAGES = os.path.join(ASSETS, "images")
MODEL = os.path.join(ASSETS, "qwen2.5-vl-3b-instruct")

MEAN = np.array([0.48145466, 0.4578275, 0.40821073], dtype=np.float32)
STD = np.array([0.26862954, 0.26130258, 0.27577711], dtype=np.float32)
IMAGE_PAD, VIDEO_PAD, VISION_START, VISION_END = 151655, 151656, 151652, 151653


# ---------------------------------------------------------------- chat template
def chat_template_cases():
    template = json.load(open(os.path.join(MODEL, "chat_template.json")))["chat_template"]
    env = jinja2.Environment(trim_blocks=True, lstrip_blocks=True, extensions=[jinja2.ext.loopcontrols])
    compiled = env.from_string(template)
    img = {"type": "image"}
    vid = {"type": "video"}

    def text(t):
        return {"type": "text", "text": t}

    cases = [
        ("one_image_then_text", [{"role": "user", "content": [img, text("Describe this image.")]}], True, False),
        ("text_only", [{"role": "user", "content": [text("Hello!")]}], True, False),
        ("custom_system", [{"role": "system", "content": [text("You are a terse OCR engine.")]},
                           {"role": "user", "content": [img, text("Read it.")]}], True, False),
        ("interleaved_items", [{"role": "user", "content": [text("Compare "), img, text(" with "), img, text("?")]}], True, False),
        ("video_and_image", [{"role": "user", "content": [vid, img, text("What happens?")]}], True, False),
        ("multi_turn", [{"role": "user", "content": [img, text("What is it?")]},
                        {"role": "assistant", "content": [text("A cat.")]},
                        {"role": "user", "content": [img, text("And this one?")]}], True, False),
        ("no_generation_prompt", [{"role": "user", "content": [text("Hi")]},
                                  {"role": "assistant", "content": [text("Hello, how can I help?")]}], False, False),
        ("vision_ids", [{"role": "user", "content": [img, img, vid, text("Describe all.")]}], True, True),
        ("unicode_and_newlines", [{"role": "user", "content": [text("第一行\n  second line\t<b>bold</b> 😀")]}], True, False),
        ("empty_text", [{"role": "user", "content": [img, text("")]}], True, False),
    ]
    out = []
    for name, messages, gen, vision_id in cases:
        rendered = compiled.render(messages=messages, add_generation_prompt=gen, add_vision_id=vision_id)
        out.append({"name": name, "messages": messages, "add_generation_prompt": gen, "add_vision_id": vision_id,
                    "expected": rendered})
    return out


# ---------------------------------------------------------------- smart_resize (transformers >= 4.53)
def smart_resize(height, width, factor=28, min_pixels=3136, max_pixels=12845056):
    if max(height, width) / min(height, width) > 200:
        return None
    h_bar = round(height / factor) * factor
    w_bar = round(width / factor) * factor
    if h_bar * w_bar > max_pixels:
        beta = math.sqrt((height * width) / max_pixels)
        h_bar = max(factor, math.floor(height / beta / factor) * factor)
        w_bar = max(factor, math.floor(width / beta / factor) * factor)
    elif h_bar * w_bar < min_pixels:
        beta = math.sqrt(min_pixels / (height * width))
        h_bar = math.ceil(height * beta / factor) * factor
        w_bar = math.ceil(width * beta / factor) * factor
    return h_bar, w_bar


def smart_resize_cases():
    budgets = [(3136, 12845056), (256 * 784, 1280 * 784), (4 * 784, 16 * 784), (100 * 784, 100 * 784)]
    sizes = [(1365, 2048), (812, 1204), (224, 224), (14, 100), (100, 14), (42, 42), (70, 98), (98, 70), (14, 14),
             (1, 1), (1, 200), (1, 201), (3, 600), (3, 601), (4000, 3000), (3000, 4000), (8192, 8192), (20000, 100),
             (1080, 1920), (480, 640), (77, 100), (350, 350), (513, 511), (28, 5600), (28, 5601), (999, 1001)]
    out = []
    for min_p, max_p in budgets:
        for h, w in sizes:
            r = smart_resize(h, w, 28, min_p, max_p)
            out.append({"height": h, "width": w, "min_pixels": min_p, "max_pixels": max_p,
                        "resized": None if r is None else {"height": r[0], "width": r[1]}})
    return out


# ---------------------------------------------------------------- images
def synthetic_rgb(width, height, seed):
    """Deterministic smooth gradients plus hash noise (sharp edges exercise the resampler's ringing)."""
    y, x = np.mgrid[0:height, 0:width].astype(np.int64)
    noise = ((x * 73856093) ^ (y * 19349663) ^ (seed * 83492791)) & 0xFF
    r = (x * 255 // max(1, width - 1) + noise // 4) % 256
    g = (y * 255 // max(1, height - 1) + (noise * 3) // 8) % 256
    b = ((x + y) * 7 + seed * 31 + ((x // 9 + y // 7) % 2) * 96) % 256
    return np.stack([r, g, b], axis=-1).astype(np.uint8)


def patchify(frames_chw, patch=14, merge=2, temporal=2):
    """HF Qwen2VLImageProcessor._preprocess: reshape + transpose(0,3,6,4,7,2,1,5,8) + reshape."""
    patches = np.array(frames_chw)
    if patches.shape[0] % temporal != 0:
        patches = np.concatenate([patches, np.repeat(patches[-1:], temporal - 1, axis=0)], axis=0)
    c = patches.shape[1]
    gt, gh, gw = patches.shape[0] // temporal, patches.shape[2] // patch, patches.shape[3] // patch
    p = patches.reshape(gt, temporal, c, gh // merge, merge, patch, gw // merge, merge, patch)
    p = p.transpose(0, 3, 6, 4, 7, 2, 1, 5, 8)
    return p.reshape(gt * gh * gw, c * temporal * patch * patch), (gt, gh, gw)


def normalize(rgb_u8):
    x = (rgb_u8.astype(np.float64) * (1 / 255)).astype(np.float32)  # transformers rescale: float64 then float32
    x = (x - MEAN) / STD
    return x.transpose(2, 0, 1)  # CHW


def to_rgb(img):
    """qwen-vl-utils to_rgb + transformers load_image's exif_transpose."""
    img = ImageOps.exif_transpose(img)
    if img.mode == "RGBA":
        white = Image.new("RGB", img.size, (255, 255, 255))
        white.paste(img, mask=img.split()[3])
        return white
    return img.convert("RGB")


def image_cases():
    os.makedirs(IMAGES, exist_ok=True)
    cases = []

    def save(name, img, fmt, **kw):
        path = os.path.join(IMAGES, name)
        img.save(path, fmt, **kw)
        return path

    # 1. Plain RGB PNG, downscaled by the default budget rules (123x77 -> rounded 112x84).
    save("gradient_123x77.png", Image.fromarray(synthetic_rgb(123, 77, 1)), "PNG")
    # 2. Larger PNG under a 64-token budget (downscale by ~2.4, so the antialiased kernel spans ~10 taps).
    save("gradient_600x400.png", Image.fromarray(synthetic_rgb(600, 400, 2)), "PNG")
    # 3. Upscale: a tiny image below min_pixels.
    save("gradient_20x30.png", Image.fromarray(synthetic_rgb(20, 30, 3)), "PNG")
    # 4. RGBA with varying alpha -> composited on white.
    rgba = np.concatenate([synthetic_rgb(90, 61, 4), (synthetic_rgb(90, 61, 5)[..., :1] // 1)], axis=-1)
    save("alpha_90x61.png", Image.fromarray(rgba, "RGBA"), "PNG")
    # 5. Grayscale PNG.
    save("gray_64x100.png", Image.fromarray(synthetic_rgb(64, 100, 6)[..., 1], "L"), "PNG")
    # 6. JPEGs with EXIF orientation 3, 6 and 8 (blocky content so JPEG decoders agree closely).
    blocky = np.kron(synthetic_rgb(12, 8, 7), np.ones((8, 8, 1), dtype=np.uint8))  # 96x64
    for orientation in (1, 3, 6, 8):
        exif = Image.Exif()
        exif[0x0112] = orientation
        save(f"orient{orientation}_96x64.jpg", Image.fromarray(blocky), "JPEG", quality=95, exif=exif.tobytes())
    # 7. Corrupt and non-image files.
    good = open(os.path.join(IMAGES, "gradient_123x77.png"), "rb").read()
    open(os.path.join(IMAGES, "truncated.png"), "wb").write(good[: len(good) // 2])
    open(os.path.join(IMAGES, "not_an_image.png"), "wb").write(b"%PDF-1.4\n% this is not an image\n" * 4)

    budgets = {"default": (3136, 12845056), "small": (4 * 784, 64 * 784)}
    plans = [("gradient_123x77.png", "default", True), ("gradient_600x400.png", "small", False),
             ("gradient_20x30.png", "default", True), ("alpha_90x61.png", "default", True),
             ("gray_64x100.png", "default", False), ("orient1_96x64.jpg", "default", False),
             ("orient3_96x64.jpg", "default", False), ("orient6_96x64.jpg", "default", False),
             ("orient8_96x64.jpg", "default", False)]
    for name, budget, dump_pixels in plans:
        img = to_rgb(Image.open(os.path.join(IMAGES, name)))
        w, h = img.size
        rh, rw = smart_resize(h, w, 28, *budgets[budget])
        resized = img.resize((rw, rh), Image.BICUBIC)
        stem = os.path.splitext(name)[0]
        np.save(os.path.join(GOLDEN, f"{stem}.decoded.npy"), np.asarray(img, dtype=np.uint8))
        np.save(os.path.join(GOLDEN, f"{stem}.resized.npy"), np.asarray(resized, dtype=np.uint8))
        pv, grid = patchify([normalize(np.asarray(resized))])
        entry = {"file": name, "budget": budgets[budget], "width": w, "height": h, "resized_width": rw,
                 "resized_height": rh, "grid_thw": list(grid), "tokens": int(np.prod(grid)) // 4,
                 "pixel_values_sum": float(pv.astype(np.float64).sum())}
        if dump_pixels:
            np.save(os.path.join(GOLDEN, f"{stem}.pixel_values.npy"), pv.astype(np.float32))
        cases.append(entry)

    # Pillow-only resampling cases on raw arrays (no decoder involved): odd ratios, up and down, one axis only.
    resample = []
    src = synthetic_rgb(157, 93, 8)
    np.save(os.path.join(GOLDEN, "resample_source_157x93.npy"), src)
    for (tw, th) in [(56, 28), (84, 112), (157, 56), (28, 93), (320, 200), (1, 1), (13, 7), (300, 93)]:
        out = np.asarray(Image.fromarray(src).resize((tw, th), Image.BICUBIC), dtype=np.uint8)
        np.save(os.path.join(GOLDEN, f"resample_157x93_to_{tw}x{th}.npy"), out)
        resample.append({"width": tw, "height": th, "file": f"resample_157x93_to_{tw}x{th}.npy"})

    # All eight EXIF transposes of a small array, from Pillow's transpose methods.
    base = synthetic_rgb(5, 3, 9)
    np.save(os.path.join(GOLDEN, "orientation_source_5x3.npy"), base)
    methods = {2: Image.FLIP_LEFT_RIGHT, 3: Image.ROTATE_180, 4: Image.FLIP_TOP_BOTTOM, 5: Image.TRANSPOSE,
               6: Image.ROTATE_270, 7: Image.TRANSVERSE, 8: Image.ROTATE_90}
    for o, m in methods.items():
        np.save(os.path.join(GOLDEN, f"orientation_{o}.npy"), np.asarray(Image.fromarray(base).transpose(m)))

    # White 224x224 image: transformers.js publishes mean 2.050372362136841 for it; recorded here too.
    white = np.full((224, 224, 3), 255, dtype=np.uint8)
    pv, grid = patchify([normalize(white)])
    return cases, resample, {"white_224_mean": float(pv.astype(np.float64).mean()), "white_224_grid": list(grid)}


# ---------------------------------------------------------------- vision glue (numpy formulations of transformers)
def window_index(grids, window_size=112, merge=2, patch=14):
    ws = window_size // merge // patch
    unit = merge * merge
    index_list, cu, offset = [], [0], 0
    for t, h, w in grids:
        lh, lw = h // merge, w // merge
        index = np.arange(t * lh * lw).reshape(t, lh, lw)
        pad_h, pad_w = ws - lh % ws, ws - lw % ws
        nh, nw = (lh + pad_h) // ws, (lw + pad_w) // ws
        padded = np.pad(index, ((0, 0), (0, pad_h), (0, pad_w)), constant_values=-100)
        padded = padded.reshape(t, nh, ws, nw, ws).transpose(0, 1, 3, 2, 4).reshape(t, nh * nw, ws, ws)
        seqlens = (padded != -100).sum(axis=(2, 3)).reshape(-1)
        flat = padded.reshape(-1)
        index_list.append(flat[flat != -100] + offset)
        cu.extend((np.cumsum(seqlens) * unit + cu[-1]).tolist())
        offset += t * lh * lw
    cu = [c for i, c in enumerate(cu) if i == 0 or c != cu[i - 1]]  # unique_consecutive
    return np.concatenate(index_list).tolist(), cu


def cu_seqlens(grids):
    per_frame = np.repeat([h * w for _, h, w in grids], [t for t, _, _ in grids])
    return [0] + np.cumsum(per_frame).tolist()


def rotary(grids, head_dim=80, merge=2):
    dim = head_dim // 2
    inv_freq = (1.0 / (10000 ** (np.arange(0, dim, 2, dtype=np.float32) / dim))).astype(np.float32)
    rows = []
    for t, h, w in grids:
        hpos = np.broadcast_to(np.arange(h)[:, None], (h, w)).reshape(h // merge, merge, w // merge, merge)
        hpos = hpos.transpose(0, 2, 1, 3).reshape(-1)
        wpos = np.broadcast_to(np.arange(w)[None, :], (h, w)).reshape(h // merge, merge, w // merge, merge)
        wpos = wpos.transpose(0, 2, 1, 3).reshape(-1)
        rows.append(np.tile(np.stack([hpos, wpos], axis=-1), (t, 1)))
    pos = np.concatenate(rows)
    max_grid = max(max(h, w) for _, h, w in grids)
    table = np.outer(np.arange(max_grid, dtype=np.float32), inv_freq).astype(np.float32)
    return table[pos].reshape(pos.shape[0], -1)


def vision_cases():
    grid_sets = [[[1, 4, 4]], [[1, 8, 8]], [[1, 10, 6]], [[1, 18, 26]], [[1, 58, 86]], [[1, 2, 2], [1, 12, 20]],
                 [[2, 10, 14]], [[3, 6, 6], [1, 16, 8]], [[1, 16, 16]], [[1, 2, 400]]]
    out = []
    for grids in grid_sets:
        wi, cu = window_index(grids)
        name = "_".join("x".join(map(str, g)) for g in grids)
        np.save(os.path.join(GOLDEN, f"rotary_{name}.npy"), rotary(grids))
        out.append({"grids": grids, "window_index": wi, "cu_window_seqlens": cu, "cu_seqlens": cu_seqlens(grids),
                    "rotary_file": f"rotary_{name}.npy"})
    return out


# ---------------------------------------------------------------- get_rope_index (numpy formulation)
def get_rope_index(ids, image_grids, video_grids, second_per_grid, merge=2, tokens_per_second=2):
    ids = np.array(ids)
    starts = np.argwhere(ids == VISION_START).reshape(-1)
    following = ids[starts + 1]
    image_nums = int((following == IMAGE_PAD).sum())
    video_nums = int((following == VIDEO_PAD).sum())
    tokens = ids.tolist()
    blocks, st = [], 0
    ii = vi = 0
    ri, rv = image_nums, video_nums
    for _ in range(image_nums + video_nums):
        ed_i = tokens.index(IMAGE_PAD, st) if IMAGE_PAD in tokens[st:] and ri > 0 else len(tokens) + 1
        ed_v = tokens.index(VIDEO_PAD, st) if VIDEO_PAD in tokens[st:] and rv > 0 else len(tokens) + 1
        if ed_i < ed_v:
            t, h, w = image_grids[ii]
            sec = np.float32(0.0)
            ii += 1
            ri -= 1
            ed = ed_i
        else:
            t, h, w = video_grids[vi]
            sec = np.float32(second_per_grid[vi])
            vi += 1
            rv -= 1
            ed = ed_v
        lt, lh, lw = t, h // merge, w // merge
        text_len = ed - st
        st_idx = blocks[-1].max() + 1 if blocks else 0
        blocks.append(np.broadcast_to(np.arange(text_len), (3, text_len)) + st_idx)
        # float32 tensor arithmetic, then .long() truncation.
        time = (np.broadcast_to(np.arange(lt)[:, None], (lt, lh * lw)).astype(np.float32) * sec
                * np.float32(tokens_per_second)).astype(np.float32)
        t_index = time.astype(np.int64).reshape(-1)
        h_index = np.broadcast_to(np.arange(lh)[None, :, None], (lt, lh, lw)).reshape(-1)
        w_index = np.broadcast_to(np.arange(lw)[None, None, :], (lt, lh, lw)).reshape(-1)
        blocks.append(np.stack([t_index, h_index, w_index]) + text_len + st_idx)
        st = ed + lt * lh * lw
    if st < len(tokens):
        st_idx = blocks[-1].max() + 1 if blocks else 0
        n = len(tokens) - st
        blocks.append(np.broadcast_to(np.arange(n), (3, n)) + st_idx)
    pos = np.concatenate(blocks, axis=1).reshape(3, -1)
    return pos.tolist(), int(pos.max() + 1 - len(tokens))


def rope_cases():
    def image(grid):
        return [VISION_START] + [IMAGE_PAD] * (grid[0] * grid[1] * grid[2] // 4) + [VISION_END]

    def video(grid):
        return [VISION_START] + [VIDEO_PAD] * (grid[0] * grid[1] * grid[2] // 4) + [VISION_END]

    head = [151644, 8948, 198, 2610, 525, 264, 10950, 17847, 13, 151645, 198, 151644, 872, 198]
    tail = [74785, 419, 2168, 13, 151645, 198, 151644, 77091, 198]
    cases = []

    def add(name, ids, images, videos, secs):
        pos, delta = get_rope_index(ids, images, videos, secs)
        cases.append({"name": name, "input_ids": ids, "image_grids": images, "video_grids": videos,
                      "second_per_grid": secs, "position_ids": pos, "rope_delta": delta})

    add("text_only", head + tail, [], [], [])
    add("one_image", head + image([1, 4, 6]) + tail, [[1, 4, 6]], [], [])
    add("demo_image_58x86", head + image([1, 58, 86]) + tail, [[1, 58, 86]], [], [])
    add("two_images", head + image([1, 4, 4]) + [1, 2, 3] + image([1, 6, 2]) + tail, [[1, 4, 4], [1, 6, 2]], [], [])
    add("image_first_token", image([1, 2, 2]) + tail, [[1, 2, 2]], [], [])
    for sec in (0.5, 1.0, 2.0, 2.0 / 1.5, 2.0 / 0.7):
        add(f"video_sec_{sec:.4f}", head + video([4, 4, 6]) + tail, [], [[4, 4, 6]], [sec])
    add("video_then_image", head + video([3, 2, 4]) + [11, 12] + image([1, 4, 4]) + tail, [[1, 4, 4]], [[3, 2, 4]], [1.0])
    add("image_then_video", head + image([1, 2, 2]) + video([6, 2, 2]) + tail, [[1, 2, 2]], [[6, 2, 2]], [0.5])
    add("long_video", head + video([40, 2, 2]) + tail, [], [[40, 2, 2]], [2.0 / 0.3])
    # float32 time arithmetic: t = 45, 0.7 s per grid gives 63 (float64 would give 62).
    add("video_float32_time", head + video([46, 2, 2]) + tail, [], [[46, 2, 2]], [0.7])
    return cases


def main():
    os.makedirs(GOLDEN, exist_ok=True)
    images, resample, white = image_cases()
    golden = {
        "chat_template": chat_template_cases(),
        "smart_resize": smart_resize_cases(),
        "images": images,
        "resample": resample,
        "white_image": white,
        "vision": vision_cases(),
        "rope_index": rope_cases(),
    }
    with open(os.path.join(GOLDEN, "golden.json"), "w", encoding="utf-8") as f:
        json.dump(golden, f, ensure_ascii=False, indent=1)
    print("wrote", GOLDEN)


if __name__ == "__main__":
    main()
