"""Gradscape: run with ``python app.py`` (dev server) or ``gunicorn app:server``."""

from __future__ import annotations

import argparse
import os

from ui import create_app

app = create_app()
server = app.server


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description="Serve Gradscape.")
    parser.add_argument("--host", default="127.0.0.1", help="interface to listen on (0.0.0.0 for a classroom)")
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", 8050)),
                        help="port (default: $PORT or 8050)")
    parser.add_argument("--debug", action="store_true", help="Dash dev tools and hot reload")
    args = parser.parse_args(argv)
    # No version check: a classroom network may have no internet, and it would log an error.
    app.run(host=args.host, port=args.port, debug=args.debug, dev_tools_disable_version_check=True)


if __name__ == "__main__":
    main()
