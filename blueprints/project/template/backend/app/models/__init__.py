"""ORM models, one module per resource."""

import importlib
import pkgutil


def import_all() -> None:
    """Import every model module, so that ``Base.metadata`` knows every table."""
    for module in pkgutil.iter_modules(__path__, prefix=f"{__name__}."):
        importlib.import_module(module.name)
