#!/usr/bin/env python3
"""Builds the one-folder bundle with PyInstaller, stamps the version, packages it, and checks it.

    python installer/build.py                 # build dist/lianxuntong/ and the Linux tarball, then self-test
    python installer/build.py --no-package    # just the bundle
    python installer/build.py --skip-checks   # no self-test / start-up timing

Prints the bundle size, the frozen app's self-test result and its cold-start time to the sign-in dialog.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tarfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DIST = ROOT / "dist"
BUNDLE = DIST / "lianxuntong"
STAMP = ROOT / "resources" / "build_info.json"


def version() -> str:
    sys.path.insert(0, str(ROOT))
    from app import __version__

    return __version__


def git_commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def stamp() -> dict[str, str]:
    info = {"version": version(), "commit": git_commit(), "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "platform": sys.platform}
    STAMP.write_text(json.dumps(info, ensure_ascii=False, indent=2), encoding="utf-8")
    return info


SYSTEM_FONT = Path("/usr/share/fonts/truetype/arphic/uming.ttc")
BUNDLED_FONT = ROOT / "resources" / "fonts" / "uming.ttc"


def bundle_font() -> None:
    """Documents need AR PL UMing (its PDF text layer round-trips exactly; Arphic Public License permits
    redistribution). Copy it into resources/fonts (git-ignored) so the bundle carries it on every platform."""
    if BUNDLED_FONT.exists():
        return
    if not SYSTEM_FONT.exists():
        raise SystemExit(f"{SYSTEM_FONT} missing: install Debian's fonts-arphic-uming or put uming.ttc in "
                         f"{BUNDLED_FONT.parent}")
    BUNDLED_FONT.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(SYSTEM_FONT, BUNDLED_FONT)


def run_pyinstaller() -> None:
    cmd = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
           "--distpath", str(DIST), "--workpath", str(ROOT / "build" / "pyinstaller"),
           str(ROOT / "installer" / "lianxuntong.spec")]
    subprocess.run(cmd, cwd=ROOT, check=True)


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def package_linux(info: dict[str, str]) -> Path:
    name = f"lianxuntong-{info['version']}-linux-{os.uname().machine}"
    out = DIST / f"{name}.tar.gz"
    with tarfile.open(out, "w:gz") as tar:
        tar.add(BUNDLE, arcname=f"{name}/lianxuntong")
        tar.add(ROOT / "installer" / "linux" / "lianxuntong.desktop", arcname=f"{name}/lianxuntong.desktop")
        tar.add(ROOT / "installer" / "linux" / "install.sh", arcname=f"{name}/install.sh")
        icon = ROOT / "resources" / "icons" / "app.png"
        if icon.exists():
            tar.add(icon, arcname=f"{name}/lianxuntong.png")
    return out


def frozen_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env["QT_QPA_PLATFORM"] = env.get("QT_QPA_PLATFORM", "offscreen")
    return env


def self_test() -> tuple[int, float, str]:
    t0 = time.perf_counter()
    res = subprocess.run([str(BUNDLE / "lianxuntong"), "--self-test"], env=frozen_env(), capture_output=True,
                         text=True, timeout=600)
    return res.returncode, time.perf_counter() - t0, res.stdout + res.stderr


def cold_start(runs: int = 3) -> list[float]:
    """Process start → sign-in dialog shown (the app prints the moment when LXT_STARTUP_PROBE is set)."""
    times = []
    for _ in range(runs):
        env = frozen_env() | {"LXT_STARTUP_PROBE": "1", "LXT_DATA_DIR": str(ROOT / "build" / "probe-data")}
        t0 = time.perf_counter()
        res = subprocess.run([str(BUNDLE / "lianxuntong")], env=env, capture_output=True, text=True, timeout=120)
        elapsed = time.perf_counter() - t0
        if res.returncode != 0 or "startup-probe" not in res.stdout:
            raise SystemExit(f"start-up probe failed ({res.returncode}):\n{res.stdout}\n{res.stderr}")
        times.append(elapsed)
    shutil.rmtree(ROOT / "build" / "probe-data", ignore_errors=True)
    return times


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--no-package", action="store_true")
    ap.add_argument("--skip-checks", action="store_true")
    args = ap.parse_args()
    info = stamp()
    bundle_font()
    try:
        t0 = time.perf_counter()
        run_pyinstaller()
        print(f"built {BUNDLE} in {time.perf_counter() - t0:.0f} s (version {info['version']}, {info['commit']})")
    finally:
        STAMP.unlink(missing_ok=True)
    print(f"bundle size: {dir_size(BUNDLE) / 1024**2:.1f} MB on disk")
    if not args.no_package and sys.platform.startswith("linux"):
        tarball = package_linux(info)
        print(f"tarball: {tarball} ({tarball.stat().st_size / 1024**2:.1f} MB)")
    if args.skip_checks:
        return 0
    rc, secs, out = self_test()
    print(out.strip())
    print(f"self-test: {'passed' if rc == 0 else f'FAILED (exit {rc})'} in {secs:.1f} s")
    if rc != 0:
        return rc
    times = cold_start()
    print("cold start to sign-in dialog: " + ", ".join(f"{t:.2f} s" for t in times)
          + f" (median {sorted(times)[len(times) // 2]:.2f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
