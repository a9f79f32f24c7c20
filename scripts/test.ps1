# One command: set up, then run the test suite offscreen (printing tests skip without CUPS).
$ErrorActionPreference = "Stop"
& (Join-Path $PSScriptRoot "setup.ps1")
Set-Location (Join-Path $PSScriptRoot "..")
$env:QT_QPA_PLATFORM = "offscreen"
.venv\Scripts\ruff check .
if ($LASTEXITCODE -ne 0) { exit 1 }
# the type checker: files and options in pyproject.toml ([tool.mypy])
.venv\Scripts\python -m mypy
if ($LASTEXITCODE -ne 0) { Write-Error "mypy found type errors"; exit 1 }
.venv\Scripts\python -m pytest -m "not slow" -p no:cacheprovider @args
if ($LASTEXITCODE -eq 5) { Write-Error "pytest collected no tests"; exit 1 }
exit $LASTEXITCODE
