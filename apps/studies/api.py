from ninja import Router

router = Router(tags=["studies"])
