from django.contrib import admin

from officeline.accounts import models

# Customers and their people hold personal data: they are registered in
# officeline/privacy/admin.py, whose admin logs each look (PRIV-10).
admin.site.register(models.Operator)
admin.site.register(models.OperatorMarket)
admin.site.register(models.Building)
