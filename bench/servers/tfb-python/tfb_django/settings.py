"""Django settings of the benchmark app: one app, its models and templates, the local-memory
cache, and only CommonMiddleware (which sets Content-Length) of the default middleware."""

from tfb_common import IS_SQLITE, WORLD_ROWS, postgres_params, sqlite_path

SECRET_KEY = 'benchmark-only-not-secret'
DEBUG = False
ALLOWED_HOSTS = ['127.0.0.1', 'localhost']
INSTALLED_APPS = ['tfb_django']
MIDDLEWARE = ['django.middleware.common.CommonMiddleware']
ROOT_URLCONF = 'tfb_django.urls'
WSGI_APPLICATION = 'tfb_django.wsgi.application'
DEFAULT_AUTO_FIELD = 'django.db.models.AutoField'
USE_TZ = True

TEMPLATES = [{
    'BACKEND': 'django.template.backends.django.DjangoTemplates',
    'APP_DIRS': True,
}]

if IS_SQLITE:
    DATABASES = {'default': {
        'ENGINE': 'django.db.backends.sqlite3',
        'NAME': sqlite_path(),
        'CONN_MAX_AGE': None,
    }}
else:
    _pg = postgres_params()
    DATABASES = {'default': {
        'ENGINE': 'django.db.backends.postgresql',
        'NAME': _pg['dbname'],
        'USER': _pg['user'],
        'PASSWORD': _pg['password'],
        'HOST': _pg['host'],
        'PORT': _pg['port'],
        'OPTIONS': {'options': _pg['options']} if 'options' in _pg else {},
        'CONN_MAX_AGE': None,
    }}

CACHES = {'default': {
    'BACKEND': 'django.core.cache.backends.locmem.LocMemCache',
    'TIMEOUT': 3600,
    'OPTIONS': {'MAX_ENTRIES': WORLD_ROWS},
}}
