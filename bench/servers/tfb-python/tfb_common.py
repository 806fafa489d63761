"""What the Django and Flask apps share: TechEmpower's rules and the database URL."""

import os
import random
from urllib.parse import parse_qs, urlsplit

WORLD_ROWS = 10_000
HELLO = 'Hello, World!'
ADDITIONAL_FORTUNE = 'Additional fortune added at request time.'
DATABASE_URL = os.environ['TFB_DB_URL']
IS_SQLITE = DATABASE_URL.startswith('sqlite://')


def random_id():
    return random.randint(1, WORLD_ROWS)


def query_count(raw):
    """Missing or not a number -> 1, else clamped to 1-500."""
    try:
        count = int(raw)
    except (TypeError, ValueError):
        return 1
    return 1 if count < 1 else 500 if count > 500 else count


def sqlite_path():
    return DATABASE_URL[len('sqlite://'):]


def postgres_params():
    """host, port, user, database and the `?schema=` as search_path, as psycopg2 takes them."""
    url = urlsplit(DATABASE_URL)
    schema = parse_qs(url.query).get('schema', [None])[0]
    params = {
        'host': url.hostname,
        'port': url.port or 5432,
        'user': url.username,
        'password': url.password or '',
        'dbname': url.path.lstrip('/'),
    }
    if schema:
        params['options'] = f'-c search_path={schema}'
    return params
