#!/usr/bin/env bash
# Installs grokinfo's build and data dependencies from Debian's packages (as root, or through sudo).
set -euo pipefail
need=(gcc make libopenblas-dev zlib1g-dev libyaml-dev npm)
missing=()
for p in "${need[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
[ ${#missing[@]} -eq 0 ] && { echo "install-deps: all present (${need[*]})"; exit 0; }
SUDO=; [ "$(id -u)" -ne 0 ] && SUDO=sudo
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
