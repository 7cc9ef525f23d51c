"""Seeds: the sites a stand-in starts with.

A seed is a module exposing `build(site: Site) -> None`. `build_site("small")` uses
`seeds/small.py`; a name with a dash (`demo-previous`) uses `seeds/demo_previous.py`, or, when
that module does not exist, the function `build_previous` of `seeds/demo.py`. A path to a
Python file is loaded as a seed module too.
"""

from __future__ import annotations

import importlib
import importlib.util
import pickle
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

from moodle_client.standin.site import Site


class UnknownSeedError(LookupError):
    pass


# Built sites, pickled, by seed: tests start a fresh server per test, and unpickling a built
# site is several times faster than building it again.
_BUILT: dict[str, bytes] = {}


def build_site(seed: str) -> Site:
    """A new site built by the seed named `seed` (or the seed file at that path)."""
    if seed.endswith(".py") or "/" in seed:
        site = Site()
        find_builder(seed)(site)
        return site
    if seed not in _BUILT:
        site = Site()
        find_builder(seed)(site)
        _BUILT[seed] = pickle.dumps(site)
    built = pickle.loads(_BUILT[seed])
    assert isinstance(built, Site)
    return built


def find_builder(seed: str) -> Callable[[Site], None]:
    if seed.endswith(".py") or "/" in seed:
        return _builder(_load_file(Path(seed)), "build", seed)
    module_name = seed.replace("-", "_")
    module = _load_module(module_name)
    if module is not None:
        return _builder(module, "build", seed)
    if "-" in seed:
        base, variant = seed.split("-", 1)
        module = _load_module(base)
        if module is not None:
            return _builder(module, f"build_{variant.replace('-', '_')}", seed)
    raise UnknownSeedError(f"no stand-in seed named {seed!r} (no module seeds/{module_name}.py)")


def _load_module(name: str) -> ModuleType | None:
    if not name.isidentifier():
        return None
    full_name = f"{__name__}.{name}"
    if importlib.util.find_spec(full_name) is None:
        return None
    return importlib.import_module(full_name)


def _load_file(path: Path) -> ModuleType:
    if not path.is_file():
        raise UnknownSeedError(f"seed file {path} does not exist")
    spec = importlib.util.spec_from_file_location(f"standin_seed_{path.stem}", path)
    if spec is None or spec.loader is None:
        raise UnknownSeedError(f"cannot load seed file {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _builder(module: ModuleType, attribute: str, seed: str) -> Callable[[Site], None]:
    builder = getattr(module, attribute, None)
    if not callable(builder):
        raise UnknownSeedError(f"seed {seed!r}: {module.__name__} has no {attribute}(site)")

    def build(site: Site) -> None:
        builder(site)

    return build
