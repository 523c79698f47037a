"""pydantic, told before it is imported that makecase uses no pydantic plugins.

When pydantic builds its first validator it looks for plugins among the entry points of
every installed distribution, and imports importlib.metadata (with email, csv, zipfile and
socket) to do so: 16 ms of the 0.3 s `makecase 24/20` takes, on the path every other step
waits for. PYDANTIC_DISABLE_PLUGINS skips the search but not that import, so this module
puts an empty plugin registry where pydantic looks for its loader. Plugins are hooks that
observe validation (logfire and the like); one installed for another program has no
business in makecase's.
"""

from __future__ import annotations

import sys
import types

#: pydantic's plugin loader (pydantic 2.x): `get_plugins()` returns the plugins found.
LOADER = "pydantic.plugin._loader"

if LOADER not in sys.modules:
    _registry = types.ModuleType(LOADER, "No pydantic plugins for makecase (see generator.noplugins).")
    _registry.get_plugins = lambda: ()
    sys.modules[LOADER] = _registry
