"""gunicorn settings of the benchmark apps: the runner's ready line, and quiet logs."""

import os
import sys

loglevel = 'warning'


def post_worker_init(worker):
    # The app is loaded: tell the runner, in the protocol every benchmark server speaks.
    sys.stdout.write(f"listening {os.environ['TFB_PORT']}\n")
    sys.stdout.flush()
