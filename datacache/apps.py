from django.apps import AppConfig


class DataCacheConfig(AppConfig):
    name = "datacache"
    verbose_name = "Data version and cache"

    def ready(self):
        import datacache

        datacache.connect()
