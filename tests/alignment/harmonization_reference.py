"""Independent PyTorch computation of the harmonization loss (docs/reference/scoring.md
sec. 2.1) for tests/alignment/harmonization_test.cpp, float64.

Usage: harmonization_reference.py IN.h5 OUT.h5
IN holds x (N, C, H, W), wc (conv weight), wl (linear weight), labels, maps (N, H, W), tokens.
The model is logits = flatten(tanh(conv2d(x, wc, padding=1))) @ wl.T, in training mode.
OUT receives loss, grad_wc, grad_wl.
"""
import sys

import h5py
import torch
import torch.nn.functional as F


def standardize_cut(m):
    mean = m.mean(dim=(1, 2), keepdim=True)
    std = m.std(dim=(1, 2), unbiased=False, keepdim=True)  # tf.math.reduce_std
    return torch.relu((m - mean) / (std + 1e-5))


def downsample(m):
    k = torch.tensor([1.0, 4.0, 6.0, 4.0, 1.0], dtype=m.dtype)
    k = (torch.outer(k, k) / 256.0)[None, None]
    return F.conv2d(F.pad(m[:, None], (1, 2, 1, 2)), k, stride=2)[:, 0]  # TF SAME, even sizes


def main():
    with h5py.File(sys.argv[1]) as f:
        x, wc, wl = (torch.tensor(f[k][:], dtype=torch.float64) for k in ("x", "wc", "wl"))
        labels = torch.tensor(f["labels"][:], dtype=torch.int64)
        maps = torch.tensor(f["maps"][:], dtype=torch.float64)
        tokens = torch.tensor(f["tokens"][:], dtype=torch.float64)
    x.requires_grad_(True)
    wc.requires_grad_(True)
    wl.requires_grad_(True)
    logits = torch.tanh(F.conv2d(x, wc, padding=1)).flatten(1) @ wl.T
    true_logit = (logits * F.one_hot(labels, logits.shape[1])).sum()
    g, = torch.autograd.grad(true_logit, x, create_graph=True)
    a = standardize_cut(g.mean(dim=1))
    b = standardize_cut(maps)
    b = b / (b.amax(dim=(1, 2), keepdim=True) + 1e-6) * (a.amax(dim=(1, 2), keepdim=True).detach() + 1e-6)
    loss = 0
    for _ in range(5):
        loss = loss + torch.mean((a - b) ** 2 * tokens[:, None, None])
        a, b = downsample(a), downsample(b)
    loss = loss / 5
    grad_wc, grad_wl = torch.autograd.grad(loss, (wc, wl))
    with h5py.File(sys.argv[2], "w") as f:
        f["loss"] = loss.detach().numpy()
        f["grad_wc"] = grad_wc.numpy()
        f["grad_wl"] = grad_wl.numpy()


if __name__ == "__main__":
    main()
