"""The scene and everything computed from it: pure Python, no Dash, no Plotly."""
