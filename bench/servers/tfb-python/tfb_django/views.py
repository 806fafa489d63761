"""Every TechEmpower test type in Django as its docs teach: the ORM, the template language,
and the cache framework."""

from operator import attrgetter

from django.core.cache import cache
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render

from tfb_common import ADDITIONAL_FORTUNE, HELLO, query_count, random_id

from .models import Fortune, World


def as_json(world):
    return {'id': world.id, 'randomNumber': world.randomnumber}


def random_worlds(count):
    return [World.objects.get(id=random_id()) for _ in range(count)]


def plaintext(request):
    return HttpResponse(HELLO, content_type='text/plain')


def json(request):
    return JsonResponse({'message': HELLO})


def single_query(request):
    return JsonResponse(as_json(World.objects.get(id=random_id())))


def queries(request):
    worlds = random_worlds(query_count(request.GET.get('queries')))
    return JsonResponse([as_json(world) for world in worlds], safe=False)


def fortunes(request):
    fortunes = list(Fortune.objects.all())
    fortunes.append(Fortune(id=0, message=ADDITIONAL_FORTUNE))
    fortunes.sort(key=attrgetter('message'))
    return render(request, 'fortunes.html', {'fortunes': fortunes})


def updates(request):
    worlds = random_worlds(query_count(request.GET.get('queries')))
    for world in worlds:
        world.randomnumber = random_id()
    # In id order, so that concurrent updates cannot deadlock.
    World.objects.bulk_update(sorted(worlds, key=attrgetter('id')), ['randomnumber'])
    return JsonResponse([as_json(world) for world in worlds], safe=False)


def cached_queries(request):
    keys = [f'world:{random_id()}' for _ in range(query_count(request.GET.get('count')))]
    found = cache.get_many(keys)
    worlds = []
    for key in keys:
        world = found.get(key)
        if world is None:
            world = as_json(World.objects.get(id=int(key[len('world:'):])))
            cache.set(key, world)
        worlds.append(world)
    return JsonResponse(worlds, safe=False)
