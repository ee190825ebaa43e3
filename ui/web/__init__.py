"""The Dash app: layout, controls, callbacks and the security headers."""
