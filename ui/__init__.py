"""Gradscape's web app: figures (pure), the scene codec, layout and thin Dash wiring."""

from .app_factory import create_app

__all__ = ["create_app"]
