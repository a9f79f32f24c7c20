"""`python -m app` is no longer an entry: the core imports neither screen nor network, so the command line lives
in the composition root. Say where it went instead of Python's bare "cannot be directly executed"."""

import sys

print("联巡通的命令行入口已改为：python -m lianxuntong（参数不变，如 python -m lianxuntong --demo）", file=sys.stderr)
sys.exit(2)
