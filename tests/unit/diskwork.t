#!/bin/sh
exec "$(dirname "$0")/../../build/test/unit/test_diskwork"
