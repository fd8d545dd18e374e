from django.utils import timezone

from apps.practices.models import Practice


def make_practice(city, title_th="การประเมินความเสี่ยงน้ำท่วมระดับชุมชน", status="published",
                  **fields):
    practice = Practice(city=city, title_th=title_th, status=status,
                        published_at=timezone.now() if status == "published" else None,
                        **fields)
    practice.save()
    return practice
