"""Gradscape's web app: figures (pure), the scene codec, layout and thin Dash wiring."""

from ui.web.app import create_app

__all__ = ["create_app"]
