from django.conf import settings


def platform(request):
    return {"PLATFORM_NAME": "Nền tảng CCHC", "DEBUG": settings.DEBUG}
