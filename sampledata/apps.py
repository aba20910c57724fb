from django.apps import AppConfig


class SampleDataConfig(AppConfig):
    name = "sampledata"
    verbose_name = "Sample data"
