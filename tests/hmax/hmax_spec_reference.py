"""Classic HMAX computed literally from docs/reference/hmax_classic.md in float64.

An independent check of ventral's hmax-classic: plain direct correlations (PyTorch
conv2d in float64, no FFT, no running sums), C1 written as the spec's window formula,
S2 as the spec's expansion. Used by tests/cli/hmax_reference_test.py.
"""
import math

import numpy as np
import torch
import torch.nn.functional as F


def gabor(size, div, theta_deg):
    lam = 2.0 * size / div
    sigma = 0.8 * lam
    gamma = 0.3
    theta = math.radians(theta_deg + 90.0)
    half = size // 2
    filt = np.zeros((size, size))
    for r in range(size):
        for c in range(size):
            x, y = r - half, c - half
            if math.sqrt(x * x + y * y) > size / 2:
                continue
            u = x * math.cos(theta) + y * math.sin(theta)
            v = -x * math.sin(theta) + y * math.cos(theta)
            filt[r, c] = math.exp(-(u * u + gamma * gamma * v * v) / (2 * sigma * sigma)) * math.cos(
                2 * math.pi * u / lam)
    filt -= filt.mean()
    filt /= math.sqrt((filt ** 2).sum())
    return filt


def s1_scale(image, s):
    """image: (H, W) float64 0..255 -> (4, H, W)."""
    n = 7 + 2 * s
    div = 4.0 - 0.05 * s
    kernels = np.stack([gabor(n, div, t) for t in (90, -45, 0, 45)])[:, None]
    img = torch.from_numpy(image)[None, None]
    conv = F.conv2d(img, torch.from_numpy(kernels), padding=n // 2)[0].numpy()
    norm = np.sqrt(F.conv2d(img ** 2, torch.ones(1, 1, n, n, dtype=torch.float64),
                            padding=n // 2)[0, 0].numpy())
    norm[norm == 0] = 1
    out = np.abs(conv) / norm
    H, W = image.shape
    a, b = (n + 1) // 2, (n - 1) // 2
    out[:, :a, :] = 0
    out[:, H - b:, :] = 0
    out[:, :, :a] = 0
    out[:, :, W - b:] = 0
    return out


def c1_band(s1a, s1b, k):
    p = 8 + 2 * k
    h = p // 2
    M = np.maximum(s1a, s1b)
    _, H, W = M.shape
    ny = (H + 2 * h - p) // h + 1
    nx = (W + 2 * h - p) // h + 1
    P = np.zeros((4, ny, nx))
    for y in range(ny):
        r0, r1 = max(y * h - h, 0), min(y * h - h + p, H)
        for x in range(nx):
            c0, c1 = max(x * h - h, 0), min(x * h - h + p, W)
            P[:, y, x] = M[:, r0:r1, c0:c1].max(axis=(1, 2))
    C = np.zeros_like(P)
    C[:, :-1, :-1] = P[:, 1:, 1:]
    return C


def c1(image):
    s1 = [s1_scale(image, s) for s in range(16)]
    return [c1_band(s1[2 * k], s1[2 * k + 1], k) for k in range(8)], s1


def s2_euclidean(band, patches):
    """band: (4, Hb, Wb); patches: (P, 4, m, m) -> (P, Hb, Wb)."""
    m = patches.shape[2]
    Hb, Wb = band.shape[1:]
    c = torch.from_numpy(band)[None]
    w = torch.from_numpy(patches.astype(np.float64))
    padded = F.pad(c, (m // 2, m // 2, m // 2, m // 2))
    # d2(y, x) = sum over rows y+1-m/2 .. y+m/2 (and columns) of (C1 - w)^2
    d2 = np.zeros((patches.shape[0], Hb, Wb))
    dot = F.conv2d(padded, w)[0].numpy()[:, 1:Hb + 1, 1:Wb + 1]
    sq = F.conv2d((padded ** 2).sum(1, keepdim=True), torch.ones(1, 1, m, m, dtype=torch.float64))[0, 0].numpy()
    sq = sq[1:Hb + 1, 1:Wb + 1]
    d2 = sq[None] - 2 * dot + (patches.astype(np.float64) ** 2).sum(axis=(1, 2, 3))[:, None, None]
    return np.sqrt(np.maximum(d2, 0))


def c2(bands, patch_sets):
    """patch_sets: list of (P, 4, m, m) in size order -> (sum P,)."""
    out = []
    for patches in patch_sets:
        out.append(np.min(np.stack([s2_euclidean(b, patches).reshape(patches.shape[0], -1).min(1)
                                    for b in bands]), axis=0))
    return np.concatenate(out)
