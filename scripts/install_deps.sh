#!/usr/bin/env bash
# Installs ventral's build, test and demo dependencies from Debian's archive.
# Idempotent: when every package is present it only checks and exits in seconds.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config
  libtorch-dev libopenblas0-openmp
  libeigen3-dev libhdf5-dev libfmt-dev catch2 libblas-dev liblapack-dev
  libcli11-dev libtomlplusplus-dev nlohmann-json3-dev
  libturbojpeg0-dev libjpeg62-turbo-dev libpng-dev zlib1g-dev libfftw3-dev
  libcairo2-dev fonts-dejavu-core protobuf-compiler libprotobuf-dev libjpeg-turbo-progs
  python3-torch python3-sklearn python3-h5py python3-numpy
  python3-xarray python3-netcdf4 python3-pil python3-torchvision
  dataset-fashion-mnist
  gnuplot-nox
  slurmctld slurmd slurm-client munge
)
# gnuplot-nox draws `ventral ablate`'s Pareto plots (a separate program, not linked). The Slurm
# daemons and munge are for the ablate Slurm integration test, which starts and stops its own
# one-node cluster in a temporary folder; their package scripts start no daemon here.

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "ventral: installing ${#missing[@]} Debian packages: ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
