"""Where the page's static files live: ``assets/`` at the top of the checkout."""

import os

ASSETS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "assets")
