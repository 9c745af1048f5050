"""scaffold: tested, registered and logged FastAPI / Next.js pieces from copier blueprints."""

__version__ = "0.1.0"
