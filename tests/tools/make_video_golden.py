#!/usr/bin/env python3
"""Writes tests/assets/golden/video_sampling.json: qwen_vl_utils' frame choice for a set of videos, as its source
computes it, independently of the C# port.

- calculate_video_frame_range and smart_nframes: the qwen-vl-utils functions, written out in plain Python.
- torch.linspace(start, end, n).round().long(): numpy float32, with PyTorch's CPU kernel formula (first half counted up
  from start, second half down from end; aten RangeFactoriesKernel.cpp) and round-half-to-even (torch.round).
- fetch_video's per-frame budget: max(min(VIDEO_MAX_PIXELS, total_pixels / n * 2), int(min_pixels * 1.05)).

Run with Debian's python3 (apt-get install python3-numpy) from the repository root:
    python3 tests/tools/make_video_golden.py
The output is committed; CI does not run this script.
"""
import json
import math
import os

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "assets", "golden", "video_sampling.json")

FRAME_FACTOR, FPS, FPS_MIN_FRAMES, FPS_MAX_FRAMES = 2, 2.0, 4, 768
VIDEO_MIN_PIXELS, VIDEO_MAX_PIXELS = 128 * 28 * 28, 768 * 28 * 28
VIDEO_TOTAL_PIXELS = int(float(128000 * 28 * 28 * 0.9))


def round_by_factor(n, f): return round(n / f) * f
def ceil_by_factor(n, f): return math.ceil(n / f) * f
def floor_by_factor(n, f): return math.floor(n / f) * f


def calculate_video_frame_range(ele, total_frames, video_fps):
    video_start, video_end = ele.get("video_start"), ele.get("video_end")
    if video_start is None and video_end is None:
        return 0, total_frames - 1, total_frames
    max_duration = total_frames / video_fps
    start_frame = math.ceil(max(0.0, min(video_start, max_duration)) * video_fps) if video_start is not None else 0
    if video_end is not None:
        end_frame = min(math.floor(max(0.0, min(video_end, max_duration)) * video_fps), total_frames - 1)
    else:
        end_frame = total_frames - 1
    if start_frame >= end_frame:
        raise ValueError("empty range")
    return start_frame, end_frame, end_frame - start_frame + 1


def smart_nframes(ele, total_frames, video_fps):
    fps = ele.get("fps", FPS)
    min_frames = ceil_by_factor(ele.get("min_frames", FPS_MIN_FRAMES), FRAME_FACTOR)
    max_frames = floor_by_factor(ele.get("max_frames", min(FPS_MAX_FRAMES, total_frames)), FRAME_FACTOR)
    nframes = total_frames / video_fps * fps
    nframes = min(min(max(nframes, min_frames), max_frames), total_frames)
    nframes = floor_by_factor(nframes, FRAME_FACTOR)
    if not (FRAME_FACTOR <= nframes <= total_frames):
        raise ValueError("too short")
    return nframes


def torch_linspace_round(start, end, steps):
    start, end = np.float32(start), np.float32(end)
    step = np.float32((end - start) / np.float32(steps - 1))
    halfway = steps // 2
    values = [start + step * np.float32(i) if i < halfway else end - step * np.float32(steps - i - 1) for i in range(steps)]
    return [int(np.round(np.float32(v))) for v in values]


CASES = [
    {"total_frames": 90, "video_fps": 30.0, "ele": {}},
    {"total_frames": 75, "video_fps": 25.0, "ele": {}},
    {"total_frames": 31, "video_fps": 30.0, "ele": {}},
    {"total_frames": 3, "video_fps": 30.0, "ele": {}},
    {"total_frames": 800, "video_fps": 2.0, "ele": {}},
    {"total_frames": 10000, "video_fps": 30.0, "ele": {}},
    {"total_frames": 61, "video_fps": 29.97, "ele": {}},
    {"total_frames": 1799, "video_fps": 29.97, "ele": {"fps": 0.5}},
    {"total_frames": 600, "video_fps": 30.0, "ele": {"fps": 1.0}},
    {"total_frames": 300, "video_fps": 30.0, "ele": {"video_start": 2.5, "video_end": 7.2}},
    {"total_frames": 300, "video_fps": 30.0, "ele": {"video_start": 8.0}},
    {"total_frames": 241, "video_fps": 24.0, "ele": {"fps": 3.0}},
    {"total_frames": 1, "video_fps": 30.0, "ele": {}},
    {"total_frames": 300, "video_fps": 30.0, "ele": {"video_start": 5.0, "video_end": 5.01}},
]

results = []
for case in CASES:
    ele, total, fps = case["ele"], case["total_frames"], case["video_fps"]
    try:
        start, end, count = calculate_video_frame_range(ele, total, fps)
        n = smart_nframes(ele, count, fps)
        idx = torch_linspace_round(start, end, n)
        sample_fps = n / max(count, 1e-6) * fps
        max_pixels = max(min(VIDEO_MAX_PIXELS, VIDEO_TOTAL_PIXELS / n * FRAME_FACTOR), int(VIDEO_MIN_PIXELS * 1.05))
        results.append({**case, "frame_indices": idx, "sample_fps": sample_fps, "max_pixels": int(max_pixels)})
    except ValueError as e:
        results.append({**case, "error": str(e)})

with open(OUT, "w") as f:
    json.dump(results, f, indent=1)
print(f"wrote {len(results)} cases to {OUT}")
