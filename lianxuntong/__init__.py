"""The composition root: the one package that imports every layer (app → sync → ui → lianxuntong).

`python -m lianxuntong` (and the `lianxuntong` console script, and the frozen build's installer/launcher.py) parse
the command line here and hand over to the layer that does the work: headless commands to `app`, the platform
check of `verify-doc` to `sync`, the GUI, demo mode, self-test and sample rendering to `ui`."""
