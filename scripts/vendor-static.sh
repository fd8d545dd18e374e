#!/bin/sh
# Refreshes the JavaScript libraries served from static/vendor/ (no CDN: users may be offline).
# The files are committed, so neither `make run` nor the tests need npm; run this only to
# change a version, then commit the result. Versions are pinned here and in the folder names.
set -eu
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fetch() {  # name version -> unpacked in $work/<name>
    (cd "$work" && npm pack "$1@$2" --silent >/dev/null && mkdir -p "$1" &&
     tar xzf ./*.tgz -C "$1" && rm ./*.tgz)
}
rm -rf static/vendor && mkdir -p static/vendor

fetch leaflet 1.9.4
out=static/vendor/leaflet-1.9.4
mkdir -p "$out"
cp "$work"/leaflet/package/dist/leaflet.js "$work"/leaflet/package/dist/leaflet.css "$out"/
cp -r "$work"/leaflet/package/dist/images "$out"/
cp "$work"/leaflet/package/LICENSE "$out"/

fetch leaflet-draw 1.0.4
out=static/vendor/leaflet-draw-1.0.4
mkdir -p "$out"
cp "$work"/leaflet-draw/package/dist/leaflet.draw.js "$work"/leaflet-draw/package/dist/leaflet.draw.css "$out"/
cp -r "$work"/leaflet-draw/package/dist/images "$out"/
# The package ships no licence file; package.json says MIT (Leaflet.draw by Jon West et al.).
echo "Leaflet.draw 1.0.4, MIT licence (see its package.json and https://github.com/Leaflet/Leaflet.draw)." > "$out"/LICENSE

fetch chart.js 4.6.1
out=static/vendor/chart.js-4.6.1
mkdir -p "$out"
cp "$work"/chart.js/package/dist/chart.umd.min.js "$out"/
cp "$work"/chart.js/package/LICENSE.md "$out"/LICENSE

echo "static/vendor refreshed"
