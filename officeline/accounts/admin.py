from django.contrib import admin

from officeline.accounts import models

admin.site.register(models.User)
admin.site.register(models.Operator)
admin.site.register(models.OperatorMarket)
admin.site.register(models.Building)
admin.site.register(models.Customer)
