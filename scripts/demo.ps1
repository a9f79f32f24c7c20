# One command: set up, then open 联巡通 in demo mode.
$ErrorActionPreference = "Stop"
& (Join-Path $PSScriptRoot "setup.ps1")
Set-Location (Join-Path $PSScriptRoot "..")
.venv\Scripts\python -m lianxuntong --demo @args
