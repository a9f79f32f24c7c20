#!/usr/bin/env bash
# Installs the unpacked bundle for the current user: ~/.local/opt/lianxuntong, a launcher in ~/.local/bin,
# the .desktop entry and the icon. Data stays in ~/.local/share/lianxuntong and is never touched here.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
dest="${HOME}/.local/opt/lianxuntong"
mkdir -p "${HOME}/.local/opt" "${HOME}/.local/bin" "${HOME}/.local/share/applications" \
         "${HOME}/.local/share/icons/hicolor/256x256/apps"
rm -rf "$dest"
cp -a "$here/lianxuntong" "$dest"
ln -sf "$dest/lianxuntong" "${HOME}/.local/bin/lianxuntong"
cp "$here/lianxuntong.desktop" "${HOME}/.local/share/applications/"
[ -f "$here/lianxuntong.png" ] && cp "$here/lianxuntong.png" "${HOME}/.local/share/icons/hicolor/256x256/apps/"
echo "已安装到 $dest；在应用菜单中打开“联巡通”，或运行 lianxuntong"
