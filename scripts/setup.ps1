# Sets up 联巡通 on Windows: a virtual environment in .venv with the project and its dev tools.
# Qt ships its own libraries on Windows and the system has CJK fonts (SimSun/Microsoft YaHei); nothing else is needed.
$ErrorActionPreference = "Stop"
Set-Location (Join-Path $PSScriptRoot "..")
if (-not (Test-Path ".venv\Scripts\python.exe")) {
    py -3 -c "import sys; assert sys.version_info >= (3, 11), 'Python 3.11 or newer is required'"
    py -3 -m venv .venv
}
.venv\Scripts\python -m pip install -q --upgrade pip
.venv\Scripts\python -m pip install -q -e ".[dev]"
