"""Small typed readers for environment variables that fail loudly on bad values."""
import os

from django.core.exceptions import ImproperlyConfigured


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None:
        raise ImproperlyConfigured(f"Environment variable {name} is required.")
    return value


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off", ""}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}.")


def env_choice(name: str, default: str, choices: set[str]) -> str:
    value = env_str(name, default)
    if value not in choices:
        raise ImproperlyConfigured(
            f"{name} must be one of {', '.join(sorted(choices))}, not {value!r}.")
    return value


def env_list(name: str, default: str = "") -> list[str]:
    return [part.strip() for part in os.environ.get(name, default).split(",") if part.strip()]


def env_int(name: str, default: int, minimum: int = 1) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {value}.")
    return value


def env_proxy_header(name: str) -> tuple[str, str] | None:
    """Read a proxy's "Header-Name: value" (e.g. "X-Forwarded-Proto: https") as the pair
    Django's SECURE_PROXY_SSL_HEADER wants, ("HTTP_X_FORWARDED_PROTO", "https")."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return None
    header, sep, value = raw.partition(":")
    header, value = header.strip(), value.strip()
    if not sep or not value or not header or not all(c.isalnum() or c == "-" for c in header):
        raise ImproperlyConfigured(
            f'{name} must look like "X-Forwarded-Proto: https" (the header your proxy sets and '
            f"the value it means HTTPS), not {raw!r}."
        )
    return "HTTP_" + header.upper().replace("-", "_"), value


def url_origin(name: str, url: str) -> str | None:
    """The scheme://host[:port] a URL template such as a tile server's loads from, as a
    Content-Security-Policy source; a "{s}" subdomain placeholder becomes "*"."""
    if not url:
        return None
    scheme, sep, rest = url.partition("://")
    host = rest.split("/", 1)[0]
    if scheme not in ("http", "https") or not sep or not host:
        raise ImproperlyConfigured(
            f"{name} must be an http(s) address such as "
            f"https://tile.openstreetmap.org/{{z}}/{{x}}/{{y}}.png, not {url!r}."
        )
    labels = host.split(".")
    if labels[0].startswith("{") and labels[0].endswith("}") and len(labels) > 2:
        labels[0] = "*"  # Leaflet's {s}: the browser may load from any of the subdomains
    if any(c in label for label in labels[1:] for c in "{}*") or "{" in labels[0]:
        raise ImproperlyConfigured(
            f"{name} may have a placeholder only as the first part of its host name, like "
            f"https://{{s}}.tile.example.org/..., not {url!r}."
        )
    return f"{scheme}://{'.'.join(labels)}"
