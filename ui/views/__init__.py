"""Figures and images: runs (arrays) -> Plotly figure dicts, PNG/GIF, CSV. No Dash."""
