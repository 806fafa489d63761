"""Starts the Django or Flask benchmark app under gunicorn, one sync worker.

    /usr/bin/python3 -B serve.py django|flask --db-url URL --port N

Run with Debian's Python (python3-django, python3-flask, gunicorn, python3-psycopg2). Replaces
itself with gunicorn (same pid, so the runner's SIGTERM reaches the gunicorn master), which
prints `listening <port>` once its worker has loaded the app (gunicorn_conf.py).
"""

import os
import sys

APPS = {'django': 'tfb_django.wsgi:application', 'flask': 'tfb_flask:app'}


def flag(args, name):
    for index, arg in enumerate(args):
        if arg == f'--{name}' and index + 1 < len(args):
            return args[index + 1]
        if arg.startswith(f'--{name}='):
            return arg.split('=', 1)[1]
    sys.exit(f'serve.py: --{name} is required')


def main():
    if len(sys.argv) < 2 or sys.argv[1] not in APPS:
        sys.exit(f'usage: serve.py {"|".join(APPS)} --db-url URL --port N')
    args = sys.argv[2:]
    here = os.path.dirname(os.path.abspath(__file__))
    os.environ['TFB_DB_URL'] = flag(args, 'db-url')
    os.environ['TFB_PORT'] = flag(args, 'port')
    os.environ['PYTHONDONTWRITEBYTECODE'] = '1'
    os.execv(sys.executable, [
        sys.executable, '-B', '-m', 'gunicorn',
        '--workers', '1',
        '--bind', f"127.0.0.1:{os.environ['TFB_PORT']}",
        '--chdir', here,
        '--config', os.path.join(here, 'gunicorn_conf.py'),
        APPS[sys.argv[1]],
    ])


main()
