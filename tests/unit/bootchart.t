#!/bin/sh
# keelctl boot renderers: the C checks, then the sample's JSON and SVG
# through python3's own parsers.
. "$(dirname "$0")/../lib.sh"
t=$KEEL_ROOT/build/test/unit/test_bootchart
"$t" || T_FAILED=1
check "json: python3 parses it" sh -c "'$t' json 2>&1 >/dev/null | python3 -m json.tool >/dev/null"
check "svg: python3 parses it as XML" sh -c "'$t' svg 2>&1 >/dev/null |
	python3 -c 'import sys, xml.etree.ElementTree as E; E.fromstring(sys.stdin.read())'"
t_done
