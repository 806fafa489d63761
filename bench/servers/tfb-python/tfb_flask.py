"""Every TechEmpower test type in Flask as its users write it: the driver (sqlite3 or
psycopg2) on one connection per worker, Jinja2 templates, a dict as the cache."""

import os
from operator import itemgetter

from flask import Flask, Response, jsonify, render_template, request

from tfb_common import (ADDITIONAL_FORTUNE, HELLO, IS_SQLITE, postgres_params, query_count,
                        random_id, sqlite_path)

# The same fortunes template as the Node servers: its syntax is Jinja2's too.
TEMPLATES = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'templates')

if IS_SQLITE:
    import sqlite3
    db = sqlite3.connect(sqlite_path())
    PARAM = '?'
else:
    import psycopg2
    import psycopg2.extras
    db = psycopg2.connect(**postgres_params())
    db.autocommit = True
    PARAM = '%s'

SELECT_WORLD = f'SELECT id, randomnumber FROM world WHERE id = {PARAM}'
UPDATE_WORLD = f'UPDATE world SET randomnumber = {PARAM} WHERE id = {PARAM}'

app = Flask(__name__, template_folder=TEMPLATES)
cached_worlds = {}


def world(cursor, world_id):
    cursor.execute(SELECT_WORLD, (world_id,))
    row = cursor.fetchone()
    return {'id': row[0], 'randomNumber': row[1]}


def random_worlds(cursor, count):
    return [world(cursor, random_id()) for _ in range(count)]


@app.route('/plaintext')
def plaintext():
    return Response(HELLO, mimetype='text/plain')


@app.route('/json')
def json():
    return jsonify(message=HELLO)


@app.route('/db')
def single_query():
    return jsonify(world(db.cursor(), random_id()))


@app.route('/queries')
def queries():
    return jsonify(random_worlds(db.cursor(), query_count(request.args.get('queries'))))


@app.route('/fortunes')
def fortunes():
    cursor = db.cursor()
    cursor.execute('SELECT id, message FROM fortune')
    rows = [{'id': id, 'message': message} for id, message in cursor.fetchall()]
    rows.append({'id': 0, 'message': ADDITIONAL_FORTUNE})
    rows.sort(key=itemgetter('message'))
    return render_template('fortunes.html', fortunes=rows)


@app.route('/updates')
def updates():
    cursor = db.cursor()
    worlds = random_worlds(cursor, query_count(request.args.get('queries')))
    for item in worlds:
        item['randomNumber'] = random_id()
    # In id order, so that concurrent updates cannot deadlock.
    rows = sorted(((item['randomNumber'], item['id']) for item in worlds), key=itemgetter(1))
    if IS_SQLITE:
        cursor.executemany(UPDATE_WORLD, rows)
        db.commit()
    else:
        # One round trip, run by PostgreSQL as one implicit transaction.
        psycopg2.extras.execute_batch(cursor, UPDATE_WORLD, rows, page_size=500)
    return jsonify(worlds)


@app.route('/cached-queries')
def cached_queries():
    cursor = None
    worlds = []
    for _ in range(query_count(request.args.get('count'))):
        world_id = random_id()
        item = cached_worlds.get(world_id)
        if item is None:
            cursor = cursor or db.cursor()
            item = cached_worlds[world_id] = world(cursor, world_id)
        worlds.append(item)
    return jsonify(worlds)
