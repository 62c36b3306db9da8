"""``python -m guidance_client``: the ``guidance`` command."""

import sys

from guidance_client.console import main

sys.exit(main())
