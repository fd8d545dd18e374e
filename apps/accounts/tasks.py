from django.core.mail import EmailMultiAlternatives
from django_tasks import task


@task()
def send_email(subject, body, to, html=None):
    """Mail sent in the background: a password-reset request then answers as fast for an
    unknown address (no mail) as for a real account (mail queued, not sent)."""
    message = EmailMultiAlternatives(subject, body, None, to)
    if html:
        message.attach_alternative(html, "text/html")
    message.send()
